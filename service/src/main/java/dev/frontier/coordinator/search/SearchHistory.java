package dev.frontier.coordinator.search;

import dev.frontier.coordinator.api.model.CompressionConfig;

import java.util.List;
import java.util.Map;

import dev.frontier.coordinator.goal.Goal;

/**
 * Everything a strategy may look at: the space, the fidelity range, the budget, the job's {@link Goal},
 * the finished results of this job and every trial proposed so far (also the ones still running).
 * Strategies never read storage.
 */
public record SearchHistory(SearchSpace space, double fidelityMin, double fidelityMax, int proposedSoFar, int maxTrials,
        Goal goal, List<TrialResult> results, List<Proposed> proposed) {

    /** A trial of this job, finished or not. */
    public record Proposed(int seq, CompressionConfig config, double fidelity, Integer promotedFrom) {
    }

    /** A history with nothing run yet, no goal and a large budget (tests, benchmarks). */
    public static SearchHistory empty(SearchSpace space, double fidelityMin, double fidelityMax) {
        return new SearchHistory(space, fidelityMin, fidelityMax, 0, Integer.MAX_VALUE, Goal.NONE, List.of(), List.of());
    }

    public List<CompressionConfig> proposedConfigs() {
        return proposed.stream().map(Proposed::config).toList();
    }

    public boolean multiFidelity() {
        return fidelityMin < fidelityMax;
    }

    /** Full fidelity: fine-tuned for fidelityMax, or the dense model (which needs no fine-tuning). */
    public static boolean fullFidelity(double fidelity, CompressionConfig config, double fidelityMax) {
        return fidelity >= fidelityMax - 1e-9 || Configs.isDense(config);
    }
}
