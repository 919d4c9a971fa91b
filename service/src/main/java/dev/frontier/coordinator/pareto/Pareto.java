package dev.frontier.coordinator.pareto;

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

    /**
     * Deb's constraint domination: a feasible point (violation 0) beats an infeasible one, of two
     * infeasible points the smaller violation wins, of two feasible points plain dominance decides.
     */
    public static boolean constrainedDominates(double[] a, double violationA, double[] b, double violationB) {
        if (violationA <= 0 && violationB > 0) return true;
        if (violationA > 0 && violationB <= 0) return false;
        if (violationA > 0) return violationA < violationB;
        return dominates(a, b);
    }

    /**
     * NSGA-II fast non-dominated sort under constraint domination: the fronts, best first, each a
     * list of indices. Pass zero violations for the unconstrained sort.
     */
    public static List<List<Integer>> nonDominatedSort(List<double[]> points, double[] violations) {
        int n = points.size();
        List<List<Integer>> dominatedBy = new ArrayList<>();
        int[] count = new int[n];
        List<Integer> current = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            dominatedBy.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j) continue;
                if (constrainedDominates(points.get(i), violations[i], points.get(j), violations[j])) dominatedBy.get(i).add(j);
                else if (constrainedDominates(points.get(j), violations[j], points.get(i), violations[i])) count[i]++;
            }
            if (count[i] == 0) current.add(i);
        }
        List<List<Integer>> fronts = new ArrayList<>();
        while (!current.isEmpty()) {
            fronts.add(current);
            List<Integer> next = new ArrayList<>();
            for (int i : current) {
                for (int j : dominatedBy.get(i)) {
                    if (--count[j] == 0) next.add(j);
                }
            }
            current = next;
        }
        return fronts;
    }

    /**
     * Indices ordered best first by NSGA-II's crowded comparison: front rank, then crowding
     * distance (larger first), then index for a stable, reproducible order.
     */
    public static List<Integer> crowdedOrder(List<double[]> points, double[] violations) {
        List<Integer> order = new ArrayList<>();
        for (List<Integer> front : nonDominatedSort(points, violations)) {
            List<double[]> members = front.stream().map(points::get).toList();
            double[] distance = crowdingDistance(members);
            Integer[] idx = new Integer[front.size()];
            for (int i = 0; i < idx.length; i++) idx[i] = i;
            Arrays.sort(idx, Comparator.comparingDouble((Integer i) -> -distance[i]).thenComparingInt(front::get));
            for (int i : idx) order.add(front.get(i));
        }
        return order;
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
