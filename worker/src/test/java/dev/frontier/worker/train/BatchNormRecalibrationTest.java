package dev.frontier.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.frontier.worker.data.Dataset;
import dev.frontier.worker.data.Normalization;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.NetworkBuilder;
import dev.frontier.worker.model.ReferenceInterpreter;
import dev.frontier.worker.model.Shape;

/** Adaptive BN against statistics computed directly from the layer's real input (real DJL, real forward). */
class BatchNormRecalibrationTest {
    @Test
    void runningMeanBecomesTheExactMeanOfTheLayerInputOverTheImages() {
        Graph g = new NetworkBuilder(3, 1, 8, 8).conv("conv", 4, 3, 1, 1).batchNorm("bn").relu("relu")
                .flatten("flat").linear("fc", 3).build();
        int n = 256;
        Random r = new Random(1);
        float[] px = new float[n * 64];
        for (int i = 0; i < px.length; i++) px[i] = (float) (r.nextGaussian() * 2 + 1.5);
        int[] labels = new int[n];
        Dataset data = new Dataset("t", new Shape(1, 8, 8), px, labels, List.of("a", "b", "c"), Normalization.NONE);

        Graph out = BatchNormRecalibration.recalibrate(g, data, n, 7);
        assertThat(out.metadata()).containsEntry("bn.recalibrated", "256");
        float[] mean = out.param("bn.mean").data();
        float[] var = out.param("bn.var").data();
        double[] sum = new double[4];
        double[] sq = new double[4];
        ReferenceInterpreter ref = new ReferenceInterpreter(out);
        for (int i = 0; i < n; i++) {
            float[] conv = ref.forwardAll(data.image(i)).get("conv");
            for (int c = 0; c < 4; c++) {
                for (int k = 0; k < 64; k++) {
                    double v = conv[c * 64 + k];
                    sum[c] += v;
                    sq[c] += v * v;
                }
            }
        }
        for (int c = 0; c < 4; c++) {
            double m = sum[c] / (n * 64);
            double v = sq[c] / (n * 64) - m * m;
            assertThat((double) mean[c]).as("mean of channel " + c).isCloseTo(m, within(1e-3 * (1 + Math.abs(m))));
            // per-batch variances averaged: equal to the overall one up to the spread of the batch means
            assertThat((double) var[c]).as("variance of channel " + c).isCloseTo(v, within(0.05 * v));
        }
        assertThat(g.param("bn.mean").data()).as("the input graph is untouched").isNotEqualTo(mean);
    }
}
