package dev.frontier.coordinator.search;

import java.util.List;

/**
 * Everything a strategy may look at: the space, the fidelity range, the finished results and how
 * many trials were proposed so far (also the ones still running). Strategies never read storage.
 */
public record SearchHistory(SearchSpace space, double fidelityMin, double fidelityMax, int proposedSoFar,
        List<TrialResult> results, List<java.util.Map<String, Object>> proposedConfigs) {
}
