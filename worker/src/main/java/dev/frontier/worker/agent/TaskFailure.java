package dev.frontier.worker.agent;

/**
 * A task that could not be done. Failures are data: the reason and kind are stored with the trial,
 * and {@code retryable} tells the coordinator whether another attempt could succeed.
 */
public class TaskFailure extends Exception {
    private final boolean retryable;
    private final String kind;

    public TaskFailure(String kind, String reason, boolean retryable, Throwable cause) {
        super(reason, cause);
        this.kind = kind;
        this.retryable = retryable;
    }

    public TaskFailure(String kind, String reason, boolean retryable) {
        this(kind, reason, retryable, null);
    }

    public boolean retryable() {
        return retryable;
    }

    public String kind() {
        return kind;
    }
}
