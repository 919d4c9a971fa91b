package dev.frontier.coordinator.pareto;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ParetoTest {

    @Test
    void dominanceNeedsNoWorseEverywhereAndBetterSomewhere() {
        assertThat(Pareto.dominates(new double[] {1, 1}, new double[] {2, 2})).isTrue();
        assertThat(Pareto.dominates(new double[] {1, 2}, new double[] {2, 2})).isTrue();
        assertThat(Pareto.dominates(new double[] {2, 2}, new double[] {2, 2})).isFalse();
        assertThat(Pareto.dominates(new double[] {1, 3}, new double[] {2, 2})).isFalse();
        assertThat(Pareto.dominates(new double[] {2, 2}, new double[] {1, 1})).isFalse();
    }

    @Test
    void nonDominatedSetKeepsTheTradeOffsAndDuplicates() {
        List<double[]> pts = List.of(
                new double[] {1, 5}, // 0 front
                new double[] {2, 3}, // 1 front
                new double[] {3, 4}, // 2 dominated by 1
                new double[] {4, 1}, // 3 front
                new double[] {2, 3}, // 4 duplicate of 1: neither dominates the other
                new double[] {5, 5}); // 5 dominated
        assertThat(Pareto.nonDominated(pts)).containsExactly(0, 1, 3, 4);
        assertThat(Pareto.nonDominated(List.of())).isEmpty();
    }

    @Test
    void threeObjectiveFrontKeepsPointsBestInSize() {
        List<double[]> pts = List.of(new double[] {1, 1, 9}, new double[] {2, 2, 1}, new double[] {2, 2, 2});
        assertThat(Pareto.nonDominated(pts)).containsExactly(0, 1);
    }

    @Test
    void crowdingDistanceGivesBoundariesInfinityAndInteriorTheNeighbourGap() {
        List<double[]> front = List.of(new double[] {0, 4}, new double[] {1, 2}, new double[] {4, 0});
        double[] d = Pareto.crowdingDistance(front);
        assertThat(d[0]).isInfinite();
        assertThat(d[2]).isInfinite();
        // objective 0: (4-0)/4 = 1, objective 1: (4-0)/4 = 1
        assertThat(d[1]).isCloseTo(2.0, within(1e-12));
        assertThat(Pareto.crowdingDistance(List.of(new double[] {1, 1}))).containsExactly(Double.POSITIVE_INFINITY);
    }

    @Test
    void hypervolume2dOfAStaircase() {
        double[] ref = {4, 4};
        // union of [1,4]x[3,4], [2,4]x[2,4], [3,4]x[1,4] = 3 + 2 + 1 = 6... computed as rectangles:
        List<double[]> pts = List.of(new double[] {1, 3}, new double[] {2, 2}, new double[] {3, 1});
        assertThat(Pareto.hypervolume2d(pts, ref)).isCloseTo(6.0, within(1e-12));
        // a dominated point and a point outside the reference box change nothing
        List<double[]> more = List.of(new double[] {1, 3}, new double[] {2, 2}, new double[] {3, 1}, new double[] {3, 3},
                new double[] {5, 0});
        assertThat(Pareto.hypervolume2d(more, ref)).isCloseTo(6.0, within(1e-12));
        assertThat(Pareto.hypervolume2d(List.of(), ref)).isZero();
    }

    @Test
    void hypervolume3dOfBoxes() {
        double[] ref = {2, 2, 2};
        assertThat(Pareto.hypervolume3d(List.of(new double[] {0, 0, 0}), ref)).isCloseTo(8.0, within(1e-12));
        // two boxes [0,2]x[1,2]x[0,2] (vol 4) and [1,2]x[0,2]x[1,2] (vol 2), overlap [1,2]x[1,2]x[1,2] (vol 1)
        List<double[]> pts = List.of(new double[] {0, 1, 0}, new double[] {1, 0, 1});
        assertThat(Pareto.hypervolume3d(pts, ref)).isCloseTo(5.0, within(1e-12));
        // equals the 2-D volume times the depth when all points share the third coordinate
        List<double[]> flat = List.of(new double[] {1, 3, 0}, new double[] {2, 2, 0}, new double[] {3, 1, 0});
        assertThat(Pareto.hypervolume3d(flat, new double[] {4, 4, 1})).isCloseTo(6.0, within(1e-12));
    }
}
