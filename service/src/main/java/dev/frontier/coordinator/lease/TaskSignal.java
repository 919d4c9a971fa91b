package dev.frontier.coordinator.lease;

import java.time.Duration;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Wakes long-polling lease requests of this replica when work is queued, so a waiting worker gets
 * a new task at once rather than after its next poll. Other replicas still find it by polling.
 */
@Component
class TaskSignal {
    private final Object monitor = new Object();
    private long generation;

    /** Wakes waiters after the current transaction commits (immediately when there is none). */
    void wakeAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wake();
                }
            });
        } else {
            wake();
        }
    }

    void wake() {
        synchronized (monitor) {
            generation++;
            monitor.notifyAll();
        }
    }

    void await(Duration max) throws InterruptedException {
        long until = System.nanoTime() + max.toNanos();
        synchronized (monitor) {
            long seen = generation;
            long left;
            while (generation == seen && (left = until - System.nanoTime()) > 0) {
                monitor.wait(Math.max(1, left / 1_000_000));
            }
        }
    }
}
