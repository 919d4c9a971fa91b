package dev.frontier.worker.onnx;

import dev.frontier.worker.compile.Artifact;
import dev.frontier.worker.compile.FrontierCompiler;
import dev.frontier.worker.compile.Plan;
import dev.frontier.worker.compress.Compressor;
import dev.frontier.worker.data.DataSplits;
import dev.frontier.worker.data.Dataset;
import dev.frontier.worker.data.Datasets;
import dev.frontier.worker.measure.Accuracy;
import dev.frontier.worker.measure.LatencyProtocol;
import dev.frontier.worker.measure.LatencyResult;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Zoo;
import dev.frontier.worker.train.Baselines;
import dev.frontier.worker.train.TrainConfig;
import dev.frontier.worker.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ONNX export run by ONNX Runtime scores the same as Frontier's compiled artifact on 500
 * Fashion-MNIST test images: dense, pattern+connectivity pruned, int8 quantized. The model is the
 * shipped demo baseline when the build has it, else a VGG trained here briefly (accuracy is not the
 * point; agreement is).
 */
class OrtAgreementTest {
    private static final int IMAGES = 500;
    private static Graph baseline;
    private static Dataset train;
    private static Dataset test;

    @BeforeAll
    static void setUp() {
        DataSplits data = Datasets.fashionMnist();
        test = data.test().subset(IMAGES);
        train = data.train().subset(3000);
        try {
            baseline = Baselines.demoModel();
        } catch (IllegalStateException noDemoModel) {
            baseline = Trainer.train(Zoo.vgg(1, 10), train,
                    TrainConfig.baseline(1).withAugment(false).withBatchSize(64).withLearningRate(3e-3f), null);
        }
    }

    private static void agree(String variant, Graph g, double tolerancePoints) {
        Plan plan = Artifact.fromBytes(Artifact.toBytes(FrontierCompiler.compile(g, FrontierCompiler.Options.untuned())));
        Accuracy.Result frontier = Accuracy.evaluate(plan, test, IMAGES, 1);
        Accuracy.Result ort = OrtAccuracy.evaluate(g, test, IMAGES, 1);
        System.out.printf(Locale.ROOT, "[ort-agreement] %s: frontier %.2f%% (%d/%d), onnxruntime %.2f%% (%d/%d)%n",
                variant, frontier.accuracy(), frontier.correct(), frontier.total(), ort.accuracy(), ort.correct(), ort.total());
        assertThat(ort.total()).isEqualTo(IMAGES);
        assertThat(ort.accuracy()).as(variant).isCloseTo(frontier.accuracy(),
                org.assertj.core.data.Offset.offset(tolerancePoints));
    }

    @Test
    void dense() {
        agree("dense", baseline, 0.4);
        assertThat(OrtAccuracy.evaluate(baseline, test, IMAGES, 1).accuracy()).isGreaterThan(50);
    }

    @Test
    void patternAndConnectivityPruned() {
        Graph g = Compressor.compress(baseline,
                "{\"default\":{\"prune\":{\"scheme\":\"pattern\",\"patterns\":8,\"connectivity\":0.3}}}").graph();
        // a short masked fine-tune, so the pruned model is a real classifier, not noise
        Graph tuned = Trainer.train(g, train.subset(1500), TrainConfig.fineTune(1).withBatchSize(64)
                .withLearningRate(3e-3f), null);
        assertThat(tuned.masks()).isNotEmpty();
        agree("pattern+connectivity", tuned, 0.4);
    }

    @Test
    void int8Quantized() {
        Graph g = Compressor.compress(baseline, "{\"default\":{\"quantize\":{\"bits\":8,\"scheme\":\"symmetric\"}}}").graph();
        // Frontier's int8 kernels also quantize activations per call; ORT dequantizes weights only
        agree("int8", g, 1.2);
    }

    @Test
    void ortLatencyIsMeasuredUnderTheProtocol() {
        LatencyResult r = OrtLatency.measure(baseline, 1, LatencyProtocol.Options.quick());
        System.out.printf(Locale.ROOT, "[ort-agreement] onnxruntime latency, 1 thread: median %.4f ms (p10 %.4f, p90 %.4f)%n",
                r.medianMs(), r.p10Ms(), r.p90Ms());
        assertThat(r.medianMs()).isPositive();
        assertThat(r.threads()).isEqualTo(1);
        assertThat(r.repeat()).isEqualTo(LatencyProtocol.Options.quick().repeat());
    }
}
