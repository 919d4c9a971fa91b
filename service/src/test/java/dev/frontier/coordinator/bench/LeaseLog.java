package dev.frontier.coordinator.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the simulated workers saw, kept to be checked against the database afterwards: every lease
 * granted, how it ended on the worker's side, and the value the worker reported, so a stored
 * result can be matched to the report that produced it.
 */
final class LeaseLog {
    enum Outcome {
        /** the coordinator acknowledged the completion (200) and said the task is DONE */
        COMPLETED,
        /** acknowledged, but the task had been cancelled meanwhile (the report is kept, not applied) */
        COMPLETED_CANCELLED,
        /** the worker "crashed": it stopped heartbeating and never reported; the lease must expire */
        ABANDONED,
        /** the coordinator refused the report (409 etc.) */
        REFUSED
    }

    /** One lease as one worker held it; times are System.nanoTime() on the load generator. */
    record Entry(UUID leaseId, long taskId, String kind, UUID trialId, UUID deviceId, int worker, long grantedNanos,
            long endedNanos, Outcome outcome, String nonce, double reported) {
    }

    private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();

    void add(Entry e) {
        entries.add(e);
    }

    List<Entry> entries() {
        return new ArrayList<>(entries);
    }
}
