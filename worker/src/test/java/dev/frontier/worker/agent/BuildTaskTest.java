package dev.frontier.worker.agent;

import dev.frontier.worker.contract.CompressionConfig;

import dev.frontier.worker.build.BuildPipeline;
import dev.frontier.worker.build.Recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.frontier.worker.bench.Bench;
import dev.frontier.worker.compile.Artifact;
import dev.frontier.worker.compile.FrontierCompiler;
import dev.frontier.worker.compile.Plan;
import dev.frontier.worker.compile.op.Op;
import dev.frontier.worker.compress.ActivationCalibrator;
import dev.frontier.worker.compress.Compressor;
import dev.frontier.worker.data.DataSplits;
import dev.frontier.worker.data.Datasets;
import dev.frontier.worker.measure.Accuracy;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Zoo;
import tools.jackson.databind.JsonNode;

/**
 * The BUILD task's pipeline (compress, fine-tune, calibrate, compile) on real Fashion-MNIST: an int8
 * configuration yields an artifact whose int8 convolutions carry calibrated activation scales (not the
 * per-call fallback), calibrated on the same deterministic training slice as the compress CLI.
 */
class BuildTaskTest {
    static final String INT8 = "{\"default\":{\"quantize\":{\"bits\":8,\"scheme\":\"symmetric\"}}}";
    static final int TEST_IMAGES = 500;

    @Test
    void aModelWithNonFiniteWeightsFailsTheBuildWithAReason() throws Exception {
        Graph model = Zoo.lenet5(1, 10);
        assertThat(BuildPipeline.nonFinite(model)).isNull();
        String victim = model.params().keySet().stream().sorted().findFirst().orElseThrow();
        model.param(victim).data()[0] = Float.NaN;
        assertThat(BuildPipeline.nonFinite(model)).isEqualTo(victim);
        DataSplits data = Datasets.fashionMnist();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BuildTask.build(model, data, json("{}"), 0, 1, 0, Progress.NONE))
                .isInstanceOf(TaskFailure.class)
                .hasMessageContaining(victim).hasMessageContaining("NaN");
        try {
            BuildTask.build(model, data, json("{}"), 0, 1, 0, Progress.NONE);
        } catch (TaskFailure f) {
            assertThat(f.kind()).isEqualTo("DIVERGED");
            assertThat(f.retryable()).isFalse();
        }
    }

    @Test
    void int8BuildCarriesCalibratedScalesAndKeepsAccuracy() throws Exception {
        Graph model = Bench.demoModel(System.out);
        DataSplits data = Datasets.fashionMnist();

        BuildPipeline.Built b = BuildTask.build(model, data, json(INT8), 0, 1, 0, Progress.NONE);

        assertThat(b.calibrationImages()).isEqualTo(ActivationCalibrator.DEFAULT_IMAGES);
        assertThat(b.calibration()).isEqualTo("max-abs over 256 images");
        assertThat(b.timings().getCalibrate()).isNotNull();
        // the slice and method the compress CLI uses by default (--calibrate 256 --seed 0 --percentile 100)
        Graph cli = ActivationCalibrator.maxAbs().calibrate(Compressor.compress(model, INT8).graph(),
                ActivationCalibrator.slice(data.train(), 256, 0));
        Plan artifact = Artifact.fromBytes(b.artifact());
        assertThat(int8ConvScales(artifact, b.graph())).isEqualTo(5);
        assertThat(int8ConvScales(artifact, cli)).isEqualTo(5);

        // the same build without calibration (per-call activation ranges), and the float model
        Plan uncalibrated = FrontierCompiler.compile(Compressor.compress(model, INT8).graph(),
                FrontierCompiler.Options.untuned());
        assertThat(int8ConvScales(uncalibrated, null)).isZero();
        Plan fp = FrontierCompiler.compile(model, FrontierCompiler.Options.untuned());
        double cal = Accuracy.evaluate(artifact, data.test(), TEST_IMAGES, 1).accuracy();
        double uncal = Accuracy.evaluate(uncalibrated, data.test(), TEST_IMAGES, 1).accuracy();
        double flt = Accuracy.evaluate(fp, data.test(), TEST_IMAGES, 1).accuracy();
        System.out.printf("on %d test images: int8 calibrated %.2f%%, int8 per-call %.2f%%, float %.2f%%%n",
                TEST_IMAGES, cal, uncal, flt);
        assertThat(flt).isGreaterThan(90.0);
        assertThat(cal).as("calibrated vs per-call %.2f%%", uncal).isCloseTo(uncal, org.assertj.core.data.Offset.offset(0.5));
        assertThat(cal).as("calibrated vs float %.2f%%", flt).isCloseTo(flt, org.assertj.core.data.Offset.offset(0.5));
    }

    @Test
    void calibrationRunsAfterFineTuning() throws Exception {
        DataSplits data = Datasets.fashionMnist();
        Graph model = Zoo.lenet5(1, 10);

        // a quarter epoch of 512 images: one fine-tuning step, then requantize, then calibrate
        BuildPipeline.Built b = BuildTask.build(model, data, json(INT8), 0.25, 7, 512, Progress.NONE);

        assertThat(b.timings().getFineTune()).isNotNull();
        assertThat(b.timings().getCalibrate()).isNotNull();
        assertThat(b.timings().getCompile()).isNotNull();
        assertThat(b.calibrationImages()).isEqualTo(256);
        // the scales are those of the fine-tuned weights: recalibrating the final graph gives the same
        Graph again = ActivationCalibrator.maxAbs().calibrate(b.graph(), data.train(), 256, 0);
        for (String k : again.metadata().keySet()) {
            if (k.startsWith(ActivationCalibrator.SCALE_KEY)) {
                assertThat(b.graph().metadata().get(k)).as(k).isEqualTo(again.metadata().get(k));
            }
        }
        assertThat(int8ConvScales(Artifact.fromBytes(b.artifact()), b.graph())).isEqualTo(2);
    }

    @Test
    void floatBuildIsNotCalibrated() throws Exception {
        Graph model = Bench.demoModel(System.out);
        DataSplits data = Datasets.fashionMnist();
        String int4 = "{\"default\":{\"prune\":{\"scheme\":\"pattern\",\"patterns\":8,\"connectivity\":0.4375},"
                + "\"quantize\":{\"bits\":4,\"scheme\":\"symmetric\"}}}";

        BuildPipeline.Built b = BuildTask.build(model, data, json(int4), 0, 1, 0, Progress.NONE);

        // int4 runs float kernels on dequantized weights: nothing would use a scale
        assertThat(b.calibrationImages()).isZero();
        assertThat(b.calibration()).isNull();
        assertThat(b.graph().metadata().keySet()).noneMatch(k -> k.startsWith(ActivationCalibrator.SCALE_KEY));
        assertThat(int8ConvScales(Artifact.fromBytes(b.artifact()), null)).isZero();
    }

    /**
     * How many int8 convs of the plan carry a calibrated input scale; each must equal the graph's
     * {@code act_scale.<layer>} (when {@code g} is given) or the plan has none (per-call fallback).
     */
    static int int8ConvScales(Plan plan, Graph g) throws ReflectiveOperationException {
        int calibrated = 0;
        List<Op> ops = plan.ops();
        for (Op op : ops) {
            if (!op.kind().startsWith("conv-int8")) {
                continue;
            }
            Field f = op.getClass().getDeclaredField("inputScale");
            f.setAccessible(true);
            float scale = f.getFloat(op);
            if (g == null) {
                assertThat(scale).as(op.name()).isZero();
                continue;
            }
            String recorded = g.metadata().get(ActivationCalibrator.SCALE_KEY + op.name());
            assertThat(recorded).as("act_scale of " + op.name()).isNotNull();
            assertThat(scale).as(op.name()).isPositive().isEqualTo(Float.parseFloat(recorded));
            calibrated++;
        }
        return calibrated;
    }

    private static CompressionConfig json(String s) {
        return CoordinatorClient.JSON.readValue(s, CompressionConfig.class);
    }

    /**
     * Weight inheritance: a build that continues from its fine-tuned parent adds only the missing epochs,
     * starting from the parent's weights (not from a fresh compression of the model), and says so.
     */
    @Test
    void aPromotedBuildContinuesFromItsParentsWeights() throws Exception {
        DataSplits data = Datasets.fashionMnist();
        Graph model = Zoo.vgg(1, 10);
        CompressionConfig config = json("{\"default\":{\"prune\":{\"scheme\":\"pattern\",\"patterns\":8,\"connectivity\":0.5}}}");
        BuildPipeline.Built parent = BuildTask.build(model, data, config, 0.25, 3, 512, new Recovery(true, false), null, 0, 200, Progress.NONE);
        assertThat(parent.recovery().getBnRecalibration()).isTrue();
        assertThat(parent.recovery().getInherited()).isFalse();
        assertThat(parent.accuracyBeforeFineTune()).isNotNull();

        // same fidelity as the parent: nothing left to train, the parent's weights come back unchanged
        BuildPipeline.Built same = BuildTask.build(model, data, config, 0.25, 4, 512, new Recovery(true, false), parent.graph(), 0.25, 200,
                Progress.NONE);
        assertThat(same.recovery().getInherited()).isTrue();
        assertThat(same.recovery().getBnRecalibration()).isFalse();
        assertThat(same.graph().param("conv2.weight").data()).isEqualTo(parent.graph().param("conv2.weight").data());

        // more fidelity: it trains on from there, keeping the parent's masks
        BuildPipeline.Built more = BuildTask.build(model, data, config, 0.5, 4, 512, new Recovery(true, false), parent.graph(), 0.25, 200,
                Progress.NONE);
        assertThat(more.graph().param("conv2.weight").data()).isNotEqualTo(parent.graph().param("conv2.weight").data());
        float[] w = more.graph().param("conv2.weight").data();
        boolean[] keep = parent.graph().mask("conv2.weight").keep();
        for (int i = 0; i < w.length; i++) {
            if (!keep[i]) assertThat(w[i]).as("pruned weight %d", i).isZero();
        }
        // a checkpoint of another configuration is not used
        BuildPipeline.Built other = BuildTask.build(model, data,
                json("{\"default\":{\"prune\":{\"scheme\":\"filter\",\"rate\":0.5}}}"), 0.25, 4, 512, Recovery.NONE, parent.graph(), 0.25, 200, Progress.NONE);
        assertThat(other.recovery().getInherited()).isFalse();
    }
}
