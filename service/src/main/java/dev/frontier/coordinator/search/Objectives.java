package dev.frontier.coordinator.search;

import dev.frontier.coordinator.goal.Goal;
import java.util.Map;
import java.util.UUID;

/**
 * How strategies score a result against the job's goal, all minimised: error (100 - accuracy),
 * latency as a multiple of the target (the worst target device), size relative to the baseline.
 * The constraint violation is 0 when the result meets the latency target and the accuracy floor.
 */
public final class Objectives {
    private Objectives() {
    }

    public static double latencyRatio(TrialResult r, Goal goal) {
        return goal.latencyRatio(r.latencyMs().values());
    }

    public static double[] point(TrialResult r, Goal goal, double baselineSize) {
        double size = r.sizeBytes() == null ? 1 : r.sizeBytes() / Math.max(1, baselineSize);
        return new double[] {100 - r.accuracy(), latencyRatio(r, goal), size};
    }

    /** The job's one rule ({@link Goal#violation}): the same number the frontier recommends by. */
    public static double violation(TrialResult r, Goal goal) {
        return goal.violation(r.accuracy(), r.latencyMs().values());
    }

    /** Sum over devices of a layer's per-layer median, or null when some device lacks it. */
    static Double layerMs(TrialResult r, String layer) {
        if (r.perLayerMs() == null || r.perLayerMs().isEmpty()) return null;
        double sum = 0;
        for (Map.Entry<UUID, Double> e : r.latencyMs().entrySet()) {
            Map<String, Double> layers = r.perLayerMs().get(e.getKey());
            if (layers == null || !layers.containsKey(layer)) return null;
            sum += layers.get(layer);
        }
        return sum;
    }
}
