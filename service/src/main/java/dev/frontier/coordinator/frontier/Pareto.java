package dev.frontier.coordinator.frontier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Pareto math on points whose every objective is minimised (callers negate what they maximise).
 * Pure functions, no state: the frontier endpoint and the search strategies share them.
 */
public final class Pareto {
    private Pareto() {
    }

    /** a dominates b: no worse in every objective and strictly better in at least one. */
    public static boolean dominates(double[] a, double[] b) {
        boolean better = false;
        for (int i = 0; i < a.length; i++) {
            if (a[i] > b[i]) return false;
            if (a[i] < b[i]) better = true;
        }
        return better;
    }

    /** Indices of the points no other point dominates (duplicates are all kept). */
    public static List<Integer> nonDominated(List<double[]> points) {
        List<Integer> front = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            boolean dominated = false;
            for (int j = 0; j < points.size() && !dominated; j++) {
                dominated = j != i && dominates(points.get(j), points.get(i));
            }
            if (!dominated) front.add(i);
        }
        return front;
    }

    /**
     * NSGA-II crowding distance of each point within one front: boundary points get infinity, the
     * rest the sum over objectives of the normalised gap between their neighbours.
     */
    public static double[] crowdingDistance(List<double[]> front) {
        int n = front.size();
        double[] distance = new double[n];
        if (n == 0) return distance;
        if (n <= 2) {
            Arrays.fill(distance, Double.POSITIVE_INFINITY);
            return distance;
        }
        int m = front.get(0).length;
        for (int k = 0; k < m; k++) {
            final int obj = k;
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) order[i] = i;
            Arrays.sort(order, Comparator.comparingDouble(i -> front.get(i)[obj]));
            double min = front.get(order[0])[obj];
            double max = front.get(order[n - 1])[obj];
            distance[order[0]] = Double.POSITIVE_INFINITY;
            distance[order[n - 1]] = Double.POSITIVE_INFINITY;
            if (max == min) continue;
            for (int i = 1; i < n - 1; i++) {
                distance[order[i]] += (front.get(order[i + 1])[obj] - front.get(order[i - 1])[obj]) / (max - min);
            }
        }
        return distance;
    }

    /** Area dominated by the points and bounded by {@code ref} (2 objectives). */
    public static double hypervolume2d(List<double[]> points, double[] ref) {
        List<double[]> inside = new ArrayList<>();
        for (double[] p : points) if (p[0] < ref[0] && p[1] < ref[1]) inside.add(p);
        inside.sort(Comparator.comparingDouble((double[] p) -> p[0]).thenComparingDouble(p -> p[1]));
        double volume = 0;
        double bestY = ref[1];
        for (double[] p : inside) {
            if (p[1] < bestY) {
                volume += (ref[0] - p[0]) * (bestY - p[1]);
                bestY = p[1];
            }
        }
        return volume;
    }

    /**
     * Volume dominated by the points and bounded by {@code ref} (3 objectives): sweep the third
     * objective upwards and add each slab's 2-D area. O(n^2 log n), fine for frontier sizes.
     */
    public static double hypervolume3d(List<double[]> points, double[] ref) {
        List<double[]> inside = new ArrayList<>();
        for (double[] p : points) if (p[0] < ref[0] && p[1] < ref[1] && p[2] < ref[2]) inside.add(p);
        inside.sort(Comparator.comparingDouble(p -> p[2]));
        double volume = 0;
        List<double[]> active = new ArrayList<>();
        double[] ref2 = {ref[0], ref[1]};
        for (int i = 0; i < inside.size(); i++) {
            active.add(new double[] {inside.get(i)[0], inside.get(i)[1]});
            double top = i + 1 < inside.size() ? inside.get(i + 1)[2] : ref[2];
            double depth = top - inside.get(i)[2];
            if (depth > 0) volume += hypervolume2d(active, ref2) * depth;
        }
        return volume;
    }
}
