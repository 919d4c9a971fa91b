package dev.frontier.coordinator.search.bench;

import dev.frontier.coordinator.api.model.CompressionConfig;

import java.util.Map;

/** Answers "what would this trial have measured": a replay table or a synthetic test fixture. */
public interface Oracle {
    /** null when the configuration failed to build. */
    Outcome evaluate(CompressionConfig config, double fidelity);

    /**
     * The configuration that was really evaluated for a proposal, with its outcome (outcome null:
     * the build failed). A table answers with one of its rows, which may differ from the proposal;
     * the strategy must then learn about the row, not about a config nobody measured.
     */
    default Answer answer(CompressionConfig config, double fidelity) {
        return new Answer(config, evaluate(config, fidelity));
    }

    /** The oracle for one replayed job (a table that hands out each row once keeps that state here). */
    default Oracle newRun() {
        return this;
    }

    record Outcome(double accuracy, double latencyMs, long sizeBytes, Map<String, Double> perLayerMs) {
    }

    record Answer(CompressionConfig config, Outcome outcome) {
    }
}
