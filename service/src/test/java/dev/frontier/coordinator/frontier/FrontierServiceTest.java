package dev.frontier.coordinator.frontier;

import dev.frontier.coordinator.api.model.CompressionConfig;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.frontier.coordinator.api.model.DeviceFrontier;
import dev.frontier.coordinator.api.model.FrontierPoint;
import dev.frontier.coordinator.trial.TrialState;
import dev.frontier.coordinator.trial.TrialView;

import static org.assertj.core.api.Assertions.assertThat;

class FrontierServiceTest {
    private static final UUID DEV = UUID.randomUUID();
    private static final UUID OTHER = UUID.randomUUID();
    private final FrontierService service = new FrontierService();

    private static TrialView t(int seq, double acc, double latency, long size) {
        return new TrialView(UUID.randomUUID(), seq, new CompressionConfig(), 1, TrialState.DONE, acc, size, Map.of(DEV, latency));
    }

    private static FrontierService.Target target(double latencyTarget, double drop) {
        return new FrontierService.Target(UUID.randomUUID(), List.of(DEV), latencyTarget, drop, 90.0);
    }

    @Test
    void frontierHasOnlyNonDominatedMeasuredTrials() {
        List<TrialView> trials = List.of(t(0, 90, 10, 1000), t(1, 89, 5, 500), t(2, 85, 6, 600), t(3, 80, 2, 200),
                new TrialView(UUID.randomUUID(), 4, new CompressionConfig(), 1, TrialState.DONE, 99.0, 1L, Map.of(OTHER, 0.1)));
        DeviceFrontier df = service.device(target(6, 2), DEV, trials);
        assertThat(df.getPoints()).extracting(FrontierPoint::getSeq).containsExactly(3, 1, 0);
        assertThat(df.getMeasured()).isEqualTo(4);
        assertThat(df.getHypervolume()).isPositive();
    }

    @Test
    void recommendsBestAccuracyWithinTargetAndFloor() {
        List<TrialView> trials = List.of(t(0, 90, 10, 1000), t(1, 89, 5, 500), t(2, 88.5, 4, 400), t(3, 80, 2, 200));
        DeviceFrontier df = service.device(target(6, 2), DEV, trials);
        assertThat(df.getRecommended().getSeq()).isEqualTo(1);
        assertThat(df.getBestEffort()).isFalse();
    }

    @Test
    void bestEffortWhenNothingMeetsTheFloorInTime() {
        List<TrialView> trials = List.of(t(0, 90, 10, 1000), t(1, 85, 5, 500), t(2, 80, 3, 300));
        DeviceFrontier df = service.device(target(6, 1), DEV, trials);
        assertThat(df.getBestEffort()).isTrue();
        assertThat(df.getRecommended().getSeq()).isEqualTo(1); // most accurate within the latency target
        DeviceFrontier none = service.device(target(1, 1), DEV, trials);
        assertThat(none.getBestEffort()).isTrue();
        assertThat(none.getRecommended().getSeq()).isEqualTo(2); // nothing in time: the fastest
    }

    @Test
    void bestEffortMissesTheConstraintsByTheLeast() {
        // floor 89 (baseline 90, drop 1), target 1 ms: 5 % late at 4 pp short beats 2 % late at 19 pp short
        List<TrialView> trials = List.of(t(0, 90, 2, 1000), t(1, 71.8, 1.02, 300), t(2, 85, 1.05, 400));
        DeviceFrontier df = service.device(target(1, 1), DEV, trials);
        assertThat(df.getBestEffort()).isTrue();
        assertThat(df.getRecommended().getSeq()).isEqualTo(2);
        // every trial accurate enough but late: the fastest
        DeviceFrontier usable = service.device(target(1, 30), DEV, trials);
        assertThat(usable.getRecommended().getSeq()).isEqualTo(1);
    }

    @Test
    void emptyWhenNothingMeasured() {
        DeviceFrontier df = service.device(target(6, 1), DEV, List.of());
        assertThat(df.getPoints()).isEmpty();
        assertThat(df.getRecommended()).isNull();
        assertThat(df.getBestEffort()).isFalse();
        assertThat(df.getHypervolume()).isZero();
    }

    /** validation {@code val}, test {@code test}: selection must read only the first. */
    private static TrialView vt(int seq, double val, double test, double latency) {
        return new TrialView(UUID.randomUUID(), seq, seq == 0 ? new CompressionConfig() : dev.frontier.coordinator.support.TestConfigs.distinct(seq), 1, TrialState.DONE, test, 1000L,
                Map.of(DEV, latency), null, null, Map.of(), val, null, null, false);
    }

    @Test
    void selectionReadsTheValidationSplitNeverTheTestSplit() {
        // by test accuracy trial 2 would win; by validation trial 1 does
        List<TrialView> trials = List.of(vt(0, 90, 90, 10), vt(1, 89.5, 70, 4), vt(2, 85, 99, 4));
        DeviceFrontier df = service.device(target(6, 1), DEV, trials);
        assertThat(df.getRecommended().getSeq()).isEqualTo(1);
        assertThat(df.getRecommended().getAccuracy()).as("the test figure is reported").isEqualTo(70.0);
        assertThat(df.getRecommended().getValidationAccuracy()).isEqualTo(89.5);
        assertThat(df.getPoints()).extracting(FrontierPoint::getSeq).doesNotContain(2);
    }

    @Test
    void noUsefulTrialInsteadOfAChanceLevelRecommendation() {
        // nothing but collapsed models (chance: 10 %) and no baseline row measured here: nothing to recommend
        List<TrialView> trials = List.of(vt(1, 10, 10, 1), vt(2, 11, 10, 2));
        DeviceFrontier df = service.device(target(6, 1), DEV, trials);
        assertThat(df.getRecommended()).isNull();
        assertThat(df.getNoUsefulTrial()).isTrue();
        assertThat(df.getPoints()).allSatisfy(p -> assertThat(p.getUseful()).isFalse());
    }

    @Test
    void hypervolumeIsNormalisedToTheReferenceBox() {
        // a perfect, instant, tiny model fills the whole box
        List<TrialView> trials = List.of(t(0, 90, 10, 1000), t(1, 100, 1e-9, 1));
        DeviceFrontier df = service.device(target(6, 1), DEV, trials);
        assertThat(df.getHypervolume()).isBetween(0.99, 1.0);
        for (var h : df.getHypervolumeHistory()) assertThat(h.getHypervolume()).isBetween(0.0, 1.0);
    }
}
