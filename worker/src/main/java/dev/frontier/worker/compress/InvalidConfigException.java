package dev.frontier.worker.compress;

/** A compression configuration that cannot be applied; the message says what and where. */
public class InvalidConfigException extends IllegalArgumentException {
    public InvalidConfigException(String message) {
        super(message);
    }
}
