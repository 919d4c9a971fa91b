package dev.frontier.worker.compile;

/** One bound, ready-to-run operation: its arrays are resolved, its work split into units (threads take ranges). */
public interface Step {
    int units();

    /** Runs units [from, to); disjoint ranges may run concurrently. */
    void run(int from, int to);

    /** Work that must happen once before the units run (e.g. quantizing the input); on the calling thread. */
    default void prepare() {
    }
}
