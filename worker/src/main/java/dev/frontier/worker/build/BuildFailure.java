package dev.frontier.worker.build;

/**
 * A build that cannot produce a model, with a machine-readable kind (INVALID_CONFIG, INVALID_GRADUAL_CONFIG,
 * DIVERGED, STOPPED) and whether trying again could help. The agent reports it as a task failure, the CLI as a
 * usage error.
 */
public final class BuildFailure extends Exception {
    private final String kind;
    private final boolean retryable;

    public BuildFailure(String kind, String message, boolean retryable) {
        super(message);
        this.kind = kind;
        this.retryable = retryable;
    }

    public String kind() {
        return kind;
    }

    public boolean retryable() {
        return retryable;
    }
}
