package dev.frontier.coordinator.pareto;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** NSGA-II sorting, crowding and constraint domination on hand-made points (all minimised). */
class NsgaSortTest {
    private static final double[] NO_VIOLATIONS = new double[6];

    @Test
    void nonDominatedSortPeelsFronts() {
        List<double[]> pts = List.of(
                new double[] {1, 5}, new double[] {2, 3}, new double[] {4, 1}, // front 0
                new double[] {2, 6}, new double[] {5, 2},                         // front 1
                new double[] {6, 6});                                             // front 2
        List<List<Integer>> fronts = Pareto.nonDominatedSort(pts, NO_VIOLATIONS);
        assertThat(fronts).hasSize(3);
        assertThat(fronts.get(0)).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(fronts.get(1)).containsExactlyInAnyOrder(3, 4);
        assertThat(fronts.get(2)).containsExactly(5);
    }

    @Test
    void crowdedOrderPrefersRankThenTheLonelyPoint() {
        // front 0: four points on a line; the inner ones differ in how crowded they are
        List<double[]> pts = List.of(new double[] {0, 10}, new double[] {1, 9}, new double[] {6, 4}, new double[] {10, 0},
                new double[] {11, 11});
        double[] crowding = Pareto.crowdingDistance(pts.subList(0, 4));
        assertThat(crowding[0]).isInfinite();
        assertThat(crowding[3]).isInfinite();
        assertThat(crowding[2]).isGreaterThan(crowding[1]);
        List<Integer> order = Pareto.crowdedOrder(pts, new double[5]);
        assertThat(order.subList(0, 2)).containsExactlyInAnyOrder(0, 3);
        assertThat(order.subList(2, 5)).containsExactly(2, 1, 4);
    }

    @Test
    void constraintDomination() {
        double[] good = {1, 1};
        double[] bad = {9, 9};
        // feasible beats infeasible whatever the objectives
        assertThat(Pareto.constrainedDominates(bad, 0, good, 0.1)).isTrue();
        assertThat(Pareto.constrainedDominates(good, 0.1, bad, 0)).isFalse();
        // two infeasible: the smaller violation wins
        assertThat(Pareto.constrainedDominates(bad, 0.1, good, 0.5)).isTrue();
        assertThat(Pareto.constrainedDominates(good, 0.5, bad, 0.1)).isFalse();
        // two feasible: plain dominance
        assertThat(Pareto.constrainedDominates(good, 0, bad, 0)).isTrue();
        assertThat(Pareto.constrainedDominates(new double[] {1, 2}, 0, new double[] {2, 1}, 0)).isFalse();
        // sort puts every feasible point ahead of the infeasible ones
        List<List<Integer>> fronts = Pareto.nonDominatedSort(List.of(good, bad, new double[] {5, 5}), new double[] {0.3, 0, 0});
        assertThat(fronts.get(0)).containsExactly(2);
        assertThat(fronts.get(1)).containsExactly(1);
        assertThat(fronts.get(2)).containsExactly(0);
    }
}
