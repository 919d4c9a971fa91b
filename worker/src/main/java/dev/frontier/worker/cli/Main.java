package dev.frontier.worker.cli;

/** Entry point of the worker jar: dispatches to the sub-commands. */
public final class Main {
    public static void main(String[] args) {
        System.out.println("frontier-worker");
    }
}
