package dev.frontier.coordinator.pareto;

/**
 * The fixed point every Frontier hypervolume is measured against, in normalised objectives: error =
 * (100 - accuracy) / 100 with reference 1, latency / target with reference 2, size / baseline size
 * with reference 1. The frontier reports it and the surrogate strategy aims at it; one point keeps
 * jobs and strategies comparable.
 */
public final class HypervolumeReference {
    private static final double[] POINT = {1.0, 2.0, 1.0};
    /** Volume of the box between the origin and the point: the largest possible hypervolume. */
    public static final double BOX = POINT[0] * POINT[1] * POINT[2];

    private HypervolumeReference() {
    }

    /** A copy, so no caller can move the point for the others. */
    public static double[] point() {
        return POINT.clone();
    }
}
