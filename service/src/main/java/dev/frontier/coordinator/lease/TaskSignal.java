package dev.frontier.coordinator.lease;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Wakes long-polling lease requests of this replica when work they could take is queued, so a
 * waiting worker gets a new task at once rather than after its next poll. Waiters are keyed by
 * what they can take (build work, or measurements on their device): waking every waiter on every
 * enqueue made each of them run its claim statements again, O(workers) queries per task.
 * Other replicas still find the work by polling.
 */
@Component
class TaskSignal {
    /** The key of PROFILE and BUILD work (any worker with the build role can take it). */
    static final Object BUILD_WORK = "build";
    private final ConcurrentHashMap<Object, Set<Waiter>> waiters = new ConcurrentHashMap<>();

    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        volatile boolean woken;
    }

    /** The key of work on {@code deviceId}; null (no device) is build work. */
    static Object key(UUID deviceId) {
        return deviceId == null ? BUILD_WORK : deviceId;
    }

    /** Wakes the waiters for {@code key} after the current transaction commits (immediately when there is none). */
    void wakeAfterCommit(Object key) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wake(key);
                }
            });
        } else {
            wake(key);
        }
    }

    void wake(Object key) {
        Set<Waiter> set = waiters.get(key);
        if (set == null) return;
        for (Waiter w : set) {
            w.woken = true;
            LockSupport.unpark(w.thread);
        }
    }

    /** Waits until work for one of {@code keys} is queued here, or {@code max} passed. */
    void await(Collection<Object> keys, Duration max) throws InterruptedException {
        Waiter me = new Waiter();
        for (Object k : keys) waiters.computeIfAbsent(k, x -> ConcurrentHashMap.newKeySet()).add(me);
        try {
            long until = System.nanoTime() + max.toNanos();
            long left;
            while (!me.woken && (left = until - System.nanoTime()) > 0) {
                LockSupport.parkNanos(this, left);
                if (Thread.interrupted()) throw new InterruptedException();
            }
        } finally {
            for (Object k : keys) waiters.get(k).remove(me);
        }
    }
}
