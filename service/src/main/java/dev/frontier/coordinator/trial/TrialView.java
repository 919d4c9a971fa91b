package dev.frontier.coordinator.trial;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A trial as the search and frontier logic see it: config, accuracy, size and per-device latency
 * (whole model and, when the agent reported it, per layer). {@code promotedFrom} is the seq of the
 * low-fidelity trial a promoted trial re-runs.
 */
public record TrialView(UUID id, int seq, Map<String, Object> config, double fidelity, TrialState state,
        Double accuracy, Long sizeBytes, Map<UUID, Double> latencyMs, Integer promotedFrom, Instant finishedAt,
        Map<UUID, Map<String, Double>> perLayerMs) {

    public TrialView(UUID id, int seq, Map<String, Object> config, double fidelity, TrialState state,
            Double accuracy, Long sizeBytes, Map<UUID, Double> latencyMs) {
        this(id, seq, config, fidelity, state, accuracy, sizeBytes, latencyMs, null, null, Map.of());
    }
}
