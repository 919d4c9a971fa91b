package dev.frontier.worker.measure;

import dev.frontier.worker.bench.Bench;
import dev.frontier.worker.compile.FrontierCompiler;
import dev.frontier.worker.compile.Plan;
import dev.frontier.worker.compile.op.Op;
import dev.frontier.worker.compress.ActivationCalibrator;
import dev.frontier.worker.compress.Compressor;
import dev.frontier.worker.data.DataSplits;
import dev.frontier.worker.data.Datasets;
import dev.frontier.worker.model.Graph;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped Fashion-MNIST baseline, every layer quantized to int8 (weights per channel, activations
 * calibrated on training images), run through the compiled executor's integer kernels on real test
 * images: its accuracy stays close to the float model's, compiled the same way.
 */
class Int8AccuracyTest {
    static final int TEST_IMAGES = 3000;

    @Test
    void int8CompiledBaselineStaysCloseToFloat() {
        Graph g = Bench.demoModel(System.out);
        assertThat(g.metadata()).containsEntry("arch", "vgg");
        DataSplits data = Datasets.fashionMnist();
        List<float[]> calibration = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            calibration.add(data.train().image(i));
        }
        Graph int8 = ActivationCalibrator.maxAbs().calibrate(Compressor.compress(g, Bench.INT8).graph(), calibration);
        Plan floatPlan = FrontierCompiler.compile(g, FrontierCompiler.Options.untuned());
        Plan int8Plan = FrontierCompiler.compile(int8, FrontierCompiler.Options.untuned());
        for (Op op : int8Plan.ops()) {
            if (op.macs() > 0) {
                assertThat(op.format()).as(op.name()).isEqualTo("int8");
            }
        }
        double fp = Accuracy.evaluate(floatPlan, data.test(), TEST_IMAGES, 1).accuracy();
        double q = Accuracy.evaluate(int8Plan, data.test(), TEST_IMAGES, 1).accuracy();
        System.out.printf("float %.2f%%, int8 %.2f%% on %d test images%n", fp, q, TEST_IMAGES);
        assertThat(fp).isGreaterThan(90.0);
        assertThat(q).as("int8 accuracy (float %.2f%%)", fp).isGreaterThanOrEqualTo(fp - 1.0);
    }
}
