package dev.frontier.coordinator.trial;

import dev.frontier.coordinator.api.model.CompressionConfig;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A trial as the search and frontier logic see it: config, accuracy, size and per-device latency
 * (whole model and, when the agent reported it, per layer). {@code promotedFrom} is the seq of the
 * low-fidelity trial a promoted (or polished) trial re-runs; {@code inheritedFrom} the seq whose
 * fine-tuned weights it started from. {@code accuracy} is the test split's (reported);
 * {@code validationAccuracy} the validation split's, which is what selection uses
 * ({@link #selectionAccuracy}). {@code latencyMs} and {@code perLayerMs} are on the runtime the view
 * was made for (the job's steering runtime); {@code runtimeLatencyMs} holds every runtime's (never
 * emulated timings), and {@link #onRuntime} re-views the trial on another one.
 */
public record TrialView(UUID id, int seq, CompressionConfig config, double fidelity, TrialState state,
        Double accuracy, Long sizeBytes, Map<UUID, Double> latencyMs, Integer promotedFrom, Instant finishedAt,
        Map<UUID, Map<String, Double>> perLayerMs, Double validationAccuracy, String checkpointSha256,
        Integer inheritedFrom, boolean polish, Map<String, Map<UUID, Double>> runtimeLatencyMs) {

    public TrialView(UUID id, int seq, CompressionConfig config, double fidelity, TrialState state,
            Double accuracy, Long sizeBytes, Map<UUID, Double> latencyMs, Integer promotedFrom, Instant finishedAt,
            Map<UUID, Map<String, Double>> perLayerMs, Double validationAccuracy, String checkpointSha256,
            Integer inheritedFrom, boolean polish) {
        this(id, seq, config, fidelity, state, accuracy, sizeBytes, latencyMs, promotedFrom, finishedAt, perLayerMs,
                validationAccuracy, checkpointSha256, inheritedFrom, polish, Map.of());
    }

    /** The same trial with its latencies on {@code runtime} (none measured there: empty; no per-layer times). */
    public TrialView onRuntime(String runtime) {
        return new TrialView(id, seq, config, fidelity, state, accuracy, sizeBytes,
                runtimeLatencyMs.getOrDefault(runtime, Map.of()), promotedFrom, finishedAt, Map.of(), validationAccuracy,
                checkpointSha256, inheritedFrom, polish, runtimeLatencyMs);
    }

    public TrialView(UUID id, int seq, CompressionConfig config, double fidelity, TrialState state,
            Double accuracy, Long sizeBytes, Map<UUID, Double> latencyMs, Integer promotedFrom, Instant finishedAt,
            Map<UUID, Map<String, Double>> perLayerMs) {
        this(id, seq, config, fidelity, state, accuracy, sizeBytes, latencyMs, promotedFrom, finishedAt, perLayerMs,
                null, null, null, false);
    }

    public TrialView(UUID id, int seq, CompressionConfig config, double fidelity, TrialState state,
            Double accuracy, Long sizeBytes, Map<UUID, Double> latencyMs) {
        this(id, seq, config, fidelity, state, accuracy, sizeBytes, latencyMs, null, null, Map.of());
    }

    /**
     * The accuracy the search, frontier, recommendation and gate select by: the validation split's.
     * Trials built before validation was reported (older agents) fall back to the test accuracy.
     */
    public Double selectionAccuracy() {
        return validationAccuracy != null ? validationAccuracy : accuracy;
    }
}
