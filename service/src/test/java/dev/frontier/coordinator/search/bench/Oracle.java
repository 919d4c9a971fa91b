package dev.frontier.coordinator.search.bench;

import java.util.Map;

/** Answers "what would this trial have measured": a replay table or a synthetic test fixture. */
public interface Oracle {
    /** null when the configuration failed to build. */
    Outcome evaluate(Map<String, Object> config, double fidelity);

    record Outcome(double accuracy, double latencyMs, long sizeBytes, Map<String, Double> perLayerMs) {
    }
}
