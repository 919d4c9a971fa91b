package dev.frontier.worker.cli;

/** One sub-command of the worker jar. */
public interface Command {
    /** Usage text printed by {@code --help}. */
    String help();

    /**
     * Runs the command; returns the process exit code (0 ok, 1 failure, 2 bad usage or input).
     * Throw {@link UsageException} for a user mistake: Main prints it without a stack trace.
     */
    int run(Args args);
}
