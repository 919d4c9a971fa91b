package dev.frontier.worker.agent;

/** The coordinator answered with an error status; {@code status} is the HTTP code, 0 if unreachable. */
public class CoordinatorException extends RuntimeException {
    private final int status;

    public CoordinatorException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** A 409 on a lease means it expired or was taken over: drop the work, do not retry the report. */
    public boolean isConflict() {
        return status == 409;
    }
}
