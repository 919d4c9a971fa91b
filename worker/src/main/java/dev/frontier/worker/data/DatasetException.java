package dev.frontier.worker.data;

/** A dataset that is missing, unreadable or malformed; the message says which file and what is wrong. */
public class DatasetException extends RuntimeException {
    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
