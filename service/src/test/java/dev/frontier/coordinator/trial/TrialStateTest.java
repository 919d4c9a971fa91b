package dev.frontier.coordinator.trial;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.frontier.coordinator.job.JobState;
import dev.frontier.coordinator.system.IllegalTransitionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrialStateTest {
    private static final Map<TrialState, Set<TrialState>> LEGAL = Map.of(
            TrialState.QUEUED, Set.of(TrialState.BUILDING, TrialState.FAILED, TrialState.CANCELLED),
            TrialState.BUILDING, Set.of(TrialState.BUILT, TrialState.QUEUED, TrialState.FAILED, TrialState.CANCELLED),
            TrialState.BUILT, Set.of(TrialState.MEASURING, TrialState.FAILED, TrialState.CANCELLED),
            TrialState.MEASURING, Set.of(TrialState.DONE, TrialState.FAILED, TrialState.CANCELLED),
            TrialState.DONE, Set.of(), TrialState.FAILED, Set.of(), TrialState.CANCELLED, Set.of());

    /** Puts a fresh trial into {@code state} along legal moves. */
    private static TrialEntity trialIn(TrialState state) {
        TrialEntity t = new TrialEntity(UUID.randomUUID(), 1, "{}", 1.0);
        switch (state) {
            case QUEUED -> { }
            case BUILDING -> t.moveTo(TrialState.BUILDING);
            case BUILT -> { t.moveTo(TrialState.BUILDING); t.moveTo(TrialState.BUILT); }
            case MEASURING -> { t.moveTo(TrialState.BUILDING); t.moveTo(TrialState.BUILT); t.moveTo(TrialState.MEASURING); }
            case DONE -> { t.moveTo(TrialState.BUILDING); t.moveTo(TrialState.BUILT); t.moveTo(TrialState.MEASURING); t.moveTo(TrialState.DONE); }
            case FAILED -> t.moveTo(TrialState.FAILED);
            case CANCELLED -> t.moveTo(TrialState.CANCELLED);
        }
        assertThat(t.getState()).isEqualTo(state);
        return t;
    }

    @Test
    void everyPairFollowsTheTable() {
        for (TrialState from : TrialState.values()) {
            for (TrialState to : TrialState.values()) {
                TrialEntity t = trialIn(from);
                if (LEGAL.get(from).contains(to)) {
                    t.moveTo(to);
                    assertThat(t.getState()).isEqualTo(to);
                } else {
                    assertThatThrownBy(() -> t.moveTo(to)).as(from + " -> " + to).isInstanceOf(IllegalTransitionException.class);
                    assertThat(t.getState()).isEqualTo(from);
                }
            }
        }
    }

    @Test
    void finishedTrialsAreImmutable() {
        for (TrialState s : Set.of(TrialState.DONE, TrialState.FAILED, TrialState.CANCELLED)) {
            TrialEntity t = trialIn(s);
            assertThat(s.isFinal()).isTrue();
            assertThatThrownBy(() -> t.built("{}", 90.0, 1L, "x")).isInstanceOf(IllegalTransitionException.class);
            assertThatThrownBy(() -> t.fail("late", "X")).isInstanceOf(IllegalTransitionException.class);
            assertThat(t.getAccuracy()).isNull();
            assertThat(t.getFinishedAt()).isNotNull();
        }
    }

    @Test
    void buildingCountsAttempts() {
        TrialEntity t = trialIn(TrialState.QUEUED);
        t.moveTo(TrialState.BUILDING);
        t.moveTo(TrialState.QUEUED);
        t.moveTo(TrialState.BUILDING);
        assertThat(t.getAttempts()).isEqualTo(2);
    }

    @Test
    void jobStatesAreFinalAfterCompletion() {
        assertThat(JobState.PROFILING.canMoveTo(JobState.RUNNING)).isTrue();
        assertThat(JobState.RUNNING.canMoveTo(JobState.PROFILING)).isFalse();
        for (JobState s : JobState.values()) {
            assertThat(JobState.COMPLETED.canMoveTo(s)).isFalse();
            assertThat(JobState.CANCELLED.canMoveTo(s)).isFalse();
            assertThat(JobState.FAILED.canMoveTo(s)).isFalse();
        }
    }
}
