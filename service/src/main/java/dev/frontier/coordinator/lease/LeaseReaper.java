package dev.frontier.coordinator.lease;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.frontier.coordinator.system.ClusterLock;

/** Returns the work of silent workers to the queue (when scheduling is enabled; one replica at a time). */
@Component
class LeaseReaper {
    private static final Logger log = LoggerFactory.getLogger(LeaseReaper.class);
    private final LeaseService leases;
    private final ClusterLock lock;

    LeaseReaper(LeaseService leases, ClusterLock lock) {
        this.leases = leases;
        this.lock = lock;
    }

    @Scheduled(fixedDelayString = "${frontier.lease.reap-interval:5s}", initialDelayString = "${frontier.lease.reap-interval:5s}")
    void reap() {
        lock.runExclusively("lease-reaper", this::reapAll);
    }

    private void reapAll() {
        try {
            while (leases.reapExpired(200) == 200) {
                // a full batch: more may be waiting
            }
        } catch (RuntimeException e) {
            log.warn("lease reaper pass failed; next pass retries", e);
        }
    }
}
