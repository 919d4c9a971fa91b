package dev.frontier.coordinator.goal;

import java.util.Collection;

/**
 * What a job asks for, as one pure rule used by the search (constraint domination), the frontier
 * (recommendation, best effort), the job progress and the CI gate, so they can never disagree.
 *
 * <ul>
 *   <li><b>latency target</b>: the worst target device's median must be at most {@code latencyTargetMs}
 *       (infinite: no target);</li>
 *   <li><b>accuracy floor</b>: {@code baselineAccuracy - maxAccuracyDrop};</li>
 *   <li><b>usefulness floor</b>: {@code baselineAccuracy - usefulnessDrop}. A model below it has
 *       collapsed (a one-shot 8x pruned VGG scores 10 %, chance) and is never recommended, not even as
 *       best effort: "no useful trial yet" is the honest answer then;</li>
 *   <li><b>violation</b>: how far a result misses, 0 when it meets both: latency over the target as a
 *       fraction of the target, plus accuracy under the floor in tenths of points (1 pp under the
 *       floor weighs as much as 10 % over the latency target).</li>
 * </ul>
 * Accuracies here are the selection accuracies (the validation split); the baseline likewise.
 *
 * @param baselineAccuracy null while the dense baseline is not measured (no floors then)
 */
public record Goal(double latencyTargetMs, double maxAccuracyDrop, Double baselineAccuracy, double usefulnessDrop) {
    /** No target, no floor: every result is feasible and useful (tests, benchmarks). */
    public static final Goal NONE = new Goal(Double.POSITIVE_INFINITY, 100, null, 100);
    /** Points per one unit of relative latency excess in {@link #violation}. */
    public static final double POINTS_PER_LATENCY_UNIT = 10;
    /** The usefulness drop never goes below this many points. */
    public static final double MIN_USEFULNESS_DROP = 10;
    /** ... and is at least this multiple of the allowed accuracy drop. */
    public static final double USEFULNESS_DROP_FACTOR = 5;

    public Goal {
        if (!(latencyTargetMs > 0) || !(maxAccuracyDrop >= 0) || !(usefulnessDrop >= 0)) {
            throw new IllegalArgumentException("latency target must be > 0 and drops >= 0");
        }
    }

    public Goal(double latencyTargetMs, double maxAccuracyDrop, Double baselineAccuracy) {
        this(latencyTargetMs, maxAccuracyDrop, baselineAccuracy, defaultUsefulnessDrop(maxAccuracyDrop));
    }

    /** max(10 pp, 5 x the allowed drop): a job that tolerates 3 pp calls a model useless 15 pp under the baseline. */
    public static double defaultUsefulnessDrop(double maxAccuracyDrop) {
        return Math.max(MIN_USEFULNESS_DROP, USEFULNESS_DROP_FACTOR * maxAccuracyDrop);
    }

    public Goal withBaseline(Double baseline) {
        return new Goal(latencyTargetMs, maxAccuracyDrop, baseline, usefulnessDrop);
    }

    public boolean hasTarget() {
        return !Double.isInfinite(latencyTargetMs);
    }

    public double accuracyFloor() {
        return baselineAccuracy == null ? Double.NEGATIVE_INFINITY : baselineAccuracy - maxAccuracyDrop;
    }

    public double usefulnessFloor() {
        return baselineAccuracy == null ? Double.NEGATIVE_INFINITY : baselineAccuracy - usefulnessDrop;
    }

    /** Worst latency over the target (1 when there is no target: the latency itself then). */
    public double latencyRatio(Collection<Double> latenciesMs) {
        double target = hasTarget() ? latencyTargetMs : 1;
        double worst = 0;
        for (double ms : latenciesMs) {
            worst = Math.max(worst, ms / target);
        }
        return worst;
    }

    public double violation(double accuracy, Collection<Double> latenciesMs) {
        double late = hasTarget() ? Math.max(0, latencyRatio(latenciesMs) - 1) : 0;
        double floor = accuracyFloor();
        double shortfall = Double.isInfinite(floor) ? 0 : Math.max(0, floor - accuracy);
        return late + shortfall / POINTS_PER_LATENCY_UNIT;
    }

    public boolean feasible(double accuracy, Collection<Double> latenciesMs) {
        return violation(accuracy, latenciesMs) == 0;
    }

    /** At or above the usefulness floor (always true while the baseline is unknown). */
    public boolean useful(double accuracy) {
        return accuracy >= usefulnessFloor();
    }
}
