package dev.frontier.coordinator.search;

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

    public static double latencyRatio(TrialResult r, SearchHistory.Goal goal) {
        double target = Double.isInfinite(goal.latencyTargetMs()) ? 1 : goal.latencyTargetMs();
        double worst = 0;
        for (double ms : r.latencyMs().values()) worst = Math.max(worst, ms / target);
        return worst;
    }

    public static double[] point(TrialResult r, SearchHistory.Goal goal, double baselineSize) {
        double size = r.sizeBytes() == null ? 1 : r.sizeBytes() / Math.max(1, baselineSize);
        return new double[] {100 - r.accuracy(), latencyRatio(r, goal), size};
    }

    /** Relative latency excess plus accuracy shortfall in tenths of points: comparable scales. */
    public static double violation(TrialResult r, SearchHistory.Goal goal) {
        double v = Double.isInfinite(goal.latencyTargetMs()) ? 0 : Math.max(0, latencyRatio(r, goal) - 1);
        return v + Math.max(0, goal.accuracyFloor() - r.accuracy()) / 10;
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
