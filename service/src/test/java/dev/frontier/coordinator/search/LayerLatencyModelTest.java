package dev.frontier.coordinator.search;

import dev.frontier.coordinator.api.model.CompressionConfig;

import dev.frontier.coordinator.goal.Goal;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.frontier.coordinator.search.bench.SyntheticProblem;

/** The per-layer latency model on hand-made timings: what it learns from layers seen one at a time. */
class LayerLatencyModelTest {
    private static final UUID FAST = new UUID(0, 1);
    private static final UUID SLOW = new UUID(0, 2);
    private static final Goal GOAL = new Goal(2.0, 1, 90.0);
    /** fc1 and fc2, each dense or filter-pruned at four rates, float32 only: 25 points. */
    private static final SearchSpace SPACE = SearchSpaces.fromProfile(SyntheticProblem.PROFILE,
            new SearchSpaces.Narrowing(List.of("filter", "none"), List.of(0.25, 0.5, 0.75, 0.9), List.of(0), List.of("fc1", "fc2")));
    private final Encoding enc = new Encoding(SPACE);

    /**
     * Hand-made: fc1 takes 4 ms times its kept share; fc2 2 ms times its own kept share and fc1's
     * (fc1's filters are fc2's inputs); an untouched layer 1 ms. The SLOW device is twice as slow,
     * and the whole-model median is 1.1x the sum of the layers.
     */
    private TrialResult result(int seq, int fc1, int fc2) {
        int[] g = {fc1, fc2, 0};
        double kept1 = 1 / enc.options(0).get(fc1).reduction();
        double kept2 = 1 / enc.options(1).get(fc2).reduction();
        Map<String, Double> fast = Map.of("fc1", 4 * kept1, "fc2", 2 * kept1 * kept2, "relu", 1.0);
        Map<String, Double> slow = Map.of("fc1", 8 * kept1, "fc2", 4 * kept1 * kept2, "relu", 2.0);
        double sum = fast.values().stream().mapToDouble(Double::doubleValue).sum();
        return new TrialResult(seq, seq == 0 ? new CompressionConfig() : enc.config(g), 1, false, 90.0, 1000L,
                Map.of(FAST, 1.1 * sum, SLOW, 2.2 * sum), Map.of(FAST, fast, SLOW, slow));
    }

    /** The baseline and every one-layer tightening: no combination measured. */
    private List<TrialResult> cross() {
        List<TrialResult> out = new ArrayList<>();
        out.add(result(0, 0, 0));
        for (int k = 1; k <= 4; k++) out.add(result(out.size(), k, 0));
        for (int k = 1; k <= 4; k++) out.add(result(out.size(), 0, k));
        return out;
    }

    @Test
    void predictsACombinationItNeverMeasuredFromTheLayersAloneOnTheSlowestDevice() {
        assertThat(enc.options(0).get(3).scheme()).isEqualTo("filter");
        LayerLatencyModel model = LayerLatencyModel.fit(enc, cross(), GOAL);
        // fc1 at 0.75 (kept 1/4) and fc2 at 0.9 (kept 1/10): 1 + 0.05 + 1 = 2.05 ms, x1.1, x2 on SLOW
        double truth = 2 * 1.1 * (4 * 0.25 + 2 * 0.25 * 0.1 + 1.0);
        double predicted = Math.exp(model.predict(new int[] {3, 4, 0}).logRatio()) * GOAL.latencyTargetMs();
        assertThat(predicted).isCloseTo(truth, org.assertj.core.data.Percentage.withPercentage(10));
        // the dense point was measured, so it is predicted closely and more surely than the combination
        double dense = Math.exp(model.predict(new int[] {0, 0, 0}).logRatio()) * GOAL.latencyTargetMs();
        assertThat(dense).isCloseTo(2 * 1.1 * 7.0, org.assertj.core.data.Percentage.withPercentage(5));
        assertThat(model.predict(new int[] {0, 0, 0}).sd()).isLessThan(model.predict(new int[] {3, 4, 0}).sd());
    }

    @Test
    void noModelWhenAResultHasNoPerLayerTimes() {
        List<TrialResult> results = new ArrayList<>(cross());
        results.add(new TrialResult(results.size(), enc.config(new int[] {2, 2, 0}), 1, false, 90.0, 1000L, Map.of(FAST, 3.0)));
        assertThat(LayerLatencyModel.fit(enc, results, GOAL)).isNull();
    }
}
