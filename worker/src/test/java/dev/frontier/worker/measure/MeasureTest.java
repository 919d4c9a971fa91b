package dev.frontier.worker.measure;

import dev.frontier.worker.bench.PeakFlops;
import dev.frontier.worker.bench.VariantMaker;
import dev.frontier.worker.compile.Executor;
import dev.frontier.worker.compile.FrontierCompiler;
import dev.frontier.worker.compile.Plan;
import dev.frontier.worker.data.Dataset;
import dev.frontier.worker.data.Normalization;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.ReferenceInterpreter;
import dev.frontier.worker.model.Shape;
import dev.frontier.worker.model.Zoo;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MeasureTest {

    @Test
    void accuracyOfTheCompiledModelEqualsTheReferenceOnASubset() {
        Graph g = VariantMaker.patternConnectivity(Zoo.vgg(3, 10), 4, 8);
        int n = 40;
        Random r = new Random(2);
        float[] images = new float[n * 784];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) r.nextGaussian();
        }
        ReferenceInterpreter ref = new ReferenceInterpreter(g);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            float[] x = java.util.Arrays.copyOfRange(images, i * 784, (i + 1) * 784);
            // label half the items with the reference's prediction: accuracy must then be >= 50% and equal
            labels[i] = i % 2 == 0 ? Accuracy.argmax(ref.forward(x)) : r.nextInt(10);
        }
        List<String> classes = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        Dataset d = new Dataset("synthetic", new Shape(1, 28, 28), images, labels, classes, Normalization.NONE);
        int agree = 0;
        for (int i = 0; i < n; i++) {
            if (Accuracy.argmax(ref.forward(d.image(i))) == labels[i]) {
                agree++;
            }
        }
        Plan plan = FrontierCompiler.compile(g, FrontierCompiler.Options.untuned());
        Accuracy.Result res = Accuracy.evaluate(plan, d, 0, 1);
        assertThat(res.total()).isEqualTo(n);
        assertThat(res.correct()).isEqualTo(agree);
        assertThat(Accuracy.evaluate(plan, d, 10, 1).total()).isEqualTo(10);
    }

    @Test
    void latencyProtocolReportsSpreadAndPerLayerTimes() {
        Plan plan = FrontierCompiler.compile(Zoo.lenet5(1, 10), FrontierCompiler.Options.untuned());
        try (Executor ex = new Executor(plan, 1)) {
            LatencyResult r = LatencyProtocol.measure(ex, new LatencyProtocol.Options(20, 10, 7, 2));
            assertThat(r.repeat()).isEqualTo(7);
            assertThat(r.number()).isGreaterThanOrEqualTo(1);
            assertThat(r.p10Ms()).isLessThanOrEqualTo(r.medianMs());
            assertThat(r.medianMs()).isLessThanOrEqualTo(r.p90Ms());
            assertThat(r.perLayerMs()).containsKeys("conv1", "conv2", "fc1", "fc3");
            assertThat(r.estimated()).isFalse();
            assertThat(r.toMap()).containsKeys("medianMs", "p10Ms", "p90Ms", "stdevMs", "repeat", "number", "threads",
                    "perLayerMs", "estimated");
        }
        assertThat(LatencyProtocol.percentile(new double[] {1, 2, 3, 4, 5}, 50)).isEqualTo(3.0);
        assertThat(LatencyProtocol.percentile(new double[] {1, 2, 3, 4, 5}, 10)).isEqualTo(1.4, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void peakIsPositive() {
        assertThat(PeakFlops.measure()).isGreaterThan(1.0);
    }
}
