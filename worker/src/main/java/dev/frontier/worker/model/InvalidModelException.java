package dev.frontier.worker.model;

/** A model file or graph that cannot be used; the message says what is wrong, for the user. */
public class InvalidModelException extends IllegalArgumentException {
    public InvalidModelException(String message) {
        super(message);
    }
}
