package dev.frontier.coordinator.job;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.frontier.coordinator.system.ClusterLock;

/** Drives {@link SearchStepper} for every running job (only when scheduling is enabled), on one replica at a time. */
@Component
class SearchScheduler {
    private static final Logger log = LoggerFactory.getLogger(SearchScheduler.class);
    private final SearchStepper stepper;
    private final ClusterLock lock;

    SearchScheduler(SearchStepper stepper, ClusterLock lock) {
        this.stepper = stepper;
        this.lock = lock;
    }

    @Scheduled(fixedDelayString = "${frontier.search.step-interval:2s}", initialDelayString = "1s")
    void stepAll() {
        // several coordinator replicas: one steps all jobs per round, the others skip it
        lock.runExclusively("search-step", this::stepEach);
    }

    private void stepEach() {
        for (UUID id : stepper.runningJobs()) {
            try {
                stepper.step(id);
            } catch (RuntimeException e) {
                // one broken job must not stall the others
                log.warn("search step failed for job {}", id, e);
            }
        }
    }
}
