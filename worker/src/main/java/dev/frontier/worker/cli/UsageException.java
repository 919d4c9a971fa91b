package dev.frontier.worker.cli;

/** A mistake in how a command was called or in the files it was given; exit code 2. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
