package dev.frontier.coordinator.search;

import dev.frontier.coordinator.api.model.CompressionConfig;

import java.util.Map;
import java.util.UUID;

/**
 * What a strategy learns from one finished trial. {@code failed} trials are reported too: a
 * configuration that cannot be built is information. {@code perLayerMs} holds, per device, the
 * per-layer medians the agent reported (empty when it did not).
 */
public record TrialResult(int seq, CompressionConfig config, double fidelity, boolean failed, Double accuracy,
        Long sizeBytes, Map<UUID, Double> latencyMs, Map<UUID, Map<String, Double>> perLayerMs) {

    public TrialResult(int seq, CompressionConfig config, double fidelity, boolean failed, Double accuracy,
            Long sizeBytes, Map<UUID, Double> latencyMs) {
        this(seq, config, fidelity, failed, accuracy, sizeBytes, latencyMs, Map.of());
    }

    /** Built and measured on at least one device. */
    public boolean usable() {
        return !failed && accuracy != null && latencyMs != null && !latencyMs.isEmpty();
    }
}
