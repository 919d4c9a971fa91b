package dev.frontier.coordinator.trial;

import java.util.Map;
import java.util.UUID;

/** A trial as the search and frontier logic see it: config, accuracy, size and per-device latency. */
public record TrialView(UUID id, int seq, Map<String, Object> config, double fidelity, TrialState state,
        Double accuracy, Long sizeBytes, Map<UUID, Double> latencyMs) {
}
