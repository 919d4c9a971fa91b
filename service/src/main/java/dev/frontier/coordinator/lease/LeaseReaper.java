package dev.frontier.coordinator.lease;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Returns the work of silent workers to the queue (runs only when scheduling is enabled). */
@Component
class LeaseReaper {
    private static final Logger log = LoggerFactory.getLogger(LeaseReaper.class);
    private final LeaseService leases;

    LeaseReaper(LeaseService leases) {
        this.leases = leases;
    }

    @Scheduled(fixedDelayString = "${frontier.lease.reap-interval:5s}", initialDelayString = "${frontier.lease.reap-interval:5s}")
    void reap() {
        try {
            while (leases.reapExpired(200) == 200) {
                // a full batch: more may be waiting
            }
        } catch (RuntimeException e) {
            log.warn("lease reaper pass failed; next pass retries", e);
        }
    }
}
