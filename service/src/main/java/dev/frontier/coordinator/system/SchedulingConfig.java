package dev.frontier.coordinator.system;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Background loops (lease reaper, search step) run unless tests switch them off to drive them by hand. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@ConditionalOnProperty(name = "frontier.scheduling.enabled", havingValue = "true", matchIfMissing = true)
class SchedulingConfig {
}
