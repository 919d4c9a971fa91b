package dev.frontier.coordinator.goal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class GoalTest {
    private static final Goal G = new Goal(2.0, 1.0, 92.0);

    @Test
    void floorsFollowTheBaseline() {
        assertThat(G.accuracyFloor()).isEqualTo(91.0);
        assertThat(G.usefulnessDrop()).as("max(10, 5 x 1)").isEqualTo(10.0);
        assertThat(G.usefulnessFloor()).isEqualTo(82.0);
        assertThat(new Goal(2.0, 3.0, 92.0).usefulnessFloor()).as("5 x 3 pp").isEqualTo(77.0);
        assertThat(G.withBaseline(null).useful(10)).as("no baseline yet: no floor").isTrue();
        assertThat(G.useful(81.9)).isFalse();
        assertThat(G.useful(82.0)).isTrue();
    }

    @Test
    void violationWeighsOnePointLikeTenPercentOfLatency() {
        assertThat(G.violation(91.5, List.of(1.9))).isZero();
        assertThat(G.feasible(91.0, List.of(2.0))).isTrue();
        assertThat(G.violation(90.0, List.of(2.0))).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(G.violation(91.0, List.of(2.2))).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(G.violation(90.0, List.of(1.0, 2.2))).as("the slowest device counts")
                .isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(Goal.NONE.violation(0, List.of(1e9))).isZero();
    }
}
