package dev.frontier.coordinator.search;

import java.util.Map;
import java.util.UUID;

/**
 * What a strategy learns from one finished trial. {@code failed} trials are reported too: a
 * configuration that cannot be built is information.
 */
public record TrialResult(int seq, Map<String, Object> config, double fidelity, boolean failed, Double accuracy,
        Long sizeBytes, Map<UUID, Double> latencyMs) {
}
