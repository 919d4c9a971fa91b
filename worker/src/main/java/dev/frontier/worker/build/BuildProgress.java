package dev.frontier.worker.build;

/** Where a build reports how far it is (fraction 0..1 of the build) and learns that it should stop. */
public interface BuildProgress {
    void report(double fraction, String message);

    default boolean stopRequested() {
        return false;
    }

    BuildProgress NONE = (fraction, message) -> {
    };
}
