package dev.frontier.coordinator.job;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Drives {@link SearchStepper} for every running job (only when scheduling is enabled). */
@Component
class SearchScheduler {
    private static final Logger log = LoggerFactory.getLogger(SearchScheduler.class);
    private final SearchStepper stepper;

    SearchScheduler(SearchStepper stepper) {
        this.stepper = stepper;
    }

    @Scheduled(fixedDelayString = "${frontier.search.step-interval:2s}", initialDelayString = "1s")
    void stepAll() {
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
