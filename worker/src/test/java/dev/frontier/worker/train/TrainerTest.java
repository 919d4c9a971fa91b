package dev.frontier.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontier.worker.data.Dataset;
import dev.frontier.worker.data.Datasets;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Mask;
import dev.frontier.worker.model.Tensor;
import dev.frontier.worker.model.Zoo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerTest {
    static Dataset train() {
        return Datasets.resolve("fashion-mnist").train().subset(2048);
    }

    static Dataset test() {
        return Datasets.resolve("fashion-mnist").test().subset(500);
    }

    @Test
    void oneEpochOfLenetLearnsAndReportsProgress() {
        Graph g = Zoo.lenet5(1, 10);
        List<TrainingListener.Progress> reports = new ArrayList<>();
        List<Double> epochSeconds = new ArrayList<>();
        TrainConfig cfg = TrainConfig.baseline(1).withAugment(false).withLogEvery(4).withLearningRate(3e-3f);
        double before = Evaluator.accuracy(g, test());
        Graph trained = Trainer.train(g, train(), cfg, new TrainingListener() {
            @Override
            public void onProgress(Progress p) {
                reports.add(p);
            }

            @Override
            public void onEpochEnd(Progress p, double seconds) {
                epochSeconds.add(seconds);
            }
        });
        double after = Evaluator.accuracy(trained, test());
        assertThat(after).isGreaterThan(50).isGreaterThan(before + 30);
        assertThat(reports).hasSize(4);
        TrainingListener.Progress last = reports.get(reports.size() - 1);
        assertThat(last.step()).isEqualTo(16);
        assertThat(last.totalSteps()).isEqualTo(16);
        assertThat(last.batchesInEpoch()).isEqualTo(16);
        assertThat(last.imagesPerSecond()).isPositive();
        assertThat(last.loss()).isLessThan(reports.get(0).loss());
        assertThat(epochSeconds).hasSize(1);
        assertThat(trained.metadata()).containsEntry("train.dataset", "fashion-mnist").containsKey("input.mean");
        assertThat(g.param("conv1.weight")).isNotEqualTo(trained.param("conv1.weight"));
    }

    @Test
    void batchNormStatisticsAreTrainedAndCopiedBack() {
        Graph g = Zoo.vgg(2, 10);
        Graph trained = Trainer.train(g, train().subset(256), TrainConfig.baseline(0.25).withBatchSize(32), null);
        Tensor mean = trained.param("bn1.mean");
        Tensor var = trained.param("bn1.var");
        assertThat(mean).isNotEqualTo(g.param("bn1.mean"));
        assertThat(var).isNotEqualTo(g.param("bn1.var"));
        for (float v : var.data()) {
            assertThat(v).isPositive();
        }
        // two steps of 32 out of 8 per epoch: a quarter epoch
        assertThat(trained.metadata()).containsEntry("train.epochs", "0.2500");
    }

    @Test
    void maskedFineTuningKeepsPrunedWeightsExactlyZero() {
        Graph g = Zoo.vgg(3, 10);
        Graph.Builder b = g.toBuilder();
        java.util.Random r = new java.util.Random(5);
        for (String p : List.of("conv2.weight", "conv4.weight", "fc1.weight")) {
            Tensor t = g.param(p).copy();
            boolean[] keep = new boolean[t.size()];
            for (int i = 0; i < keep.length; i++) {
                keep[i] = r.nextInt(4) == 0;
            }
            Mask m = new Mask(t.shape(), keep);
            m.applyTo(t);
            b.param(p, t).mask(p, m);
        }
        Graph masked = b.build();
        Graph tuned = Trainer.train(masked, train().subset(256), TrainConfig.fineTune(0.5).withBatchSize(64)
                .withLearningRate(1e-2f), null);
        assertThat(tuned.masks()).isEqualTo(masked.masks());
        for (String p : List.of("conv2.weight", "conv4.weight", "fc1.weight")) {
            Mask m = tuned.mask(p);
            float[] w = tuned.param(p).data();
            float[] before = masked.param(p).data();
            int changedKept = 0;
            for (int i = 0; i < w.length; i++) {
                if (!m.kept(i)) {
                    assertThat(Float.floatToRawIntBits(w[i])).as("%s[%d]", p, i).isZero();
                } else if (w[i] != before[i]) {
                    changedKept++;
                }
            }
            assertThat(changedKept).as("kept weights of %s train", p).isGreaterThan(m.keptCount() / 2);
        }
        // unmasked layers train too
        assertThat(tuned.param("conv1.weight")).isNotEqualTo(masked.param("conv1.weight"));
    }

    @Test
    void zeroEpochsReturnsAnEqualCopyAndRunsAreDeterministic() {
        Graph g = Zoo.lenet5(4, 10);
        Graph same = Trainer.train(g, train(), TrainConfig.baseline(0), null);
        assertThat(same.params()).isEqualTo(g.params());
        TrainConfig cfg = TrainConfig.baseline(0.1).withBatchSize(64).withSeed(9);
        Graph a = Trainer.train(g, train().subset(640), cfg, null);
        Graph c = Trainer.train(g, train().subset(640), cfg, null);
        assertThat(a.param("fc3.weight").data()).usingComparatorWithPrecision(1e-5f)
                .containsExactly(c.param("fc3.weight").data());
    }

    @Test
    void quantizedTensorsAreDroppedForTheCallerToRequantize() {
        Graph g = Zoo.lenet5(6, 10);
        Tensor w = g.param("fc3.weight");
        byte[] q = new byte[w.size()];
        float[] deq = new float[w.size()];
        float[] scales = new float[w.dim(0)];
        java.util.Arrays.fill(scales, 0.01f);
        for (int i = 0; i < q.length; i++) {
            q[i] = (byte) Math.max(-127, Math.min(127, Math.round(w.data()[i] / 0.01f)));
            deq[i] = q[i] * 0.01f;
        }
        Graph quant = g.toBuilder().param("fc3.weight", new Tensor(w.shape(), deq))
                .quantized("fc3.weight", new dev.frontier.worker.model.QuantizedTensor(8,
                        dev.frontier.worker.model.QuantScheme.values()[0], w.shape(), q, scales,
                        new boolean[w.dim(0)])).build();
        Graph tuned = Trainer.train(quant, train().subset(256), TrainConfig.fineTune(0.5).withBatchSize(64), null);
        assertThat(tuned.quantized()).isEmpty();
        assertThat(tuned.param("fc3.weight")).isNotEqualTo(quant.param("fc3.weight"));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"resnet", "mobilenet"})
    void residualAndDepthwiseModelsTrain(String arch) {
        Graph g = Zoo.create(arch, 8, 10);
        Graph t = Trainer.train(g, train().subset(32), TrainConfig.baseline(1).withBatchSize(16), null);
        for (var e : t.params().entrySet()) {
            for (float v : e.getValue().data()) {
                assertThat(Float.isFinite(v)).as(e.getKey()).isTrue();
            }
        }
        String first = g.weightedNodes().get(0).weightName();
        String last = g.weightedNodes().get(g.weightedNodes().size() - 1).weightName();
        assertThat(t.param(first)).isNotEqualTo(g.param(first));
        assertThat(t.param(last)).isNotEqualTo(g.param(last));
    }

    @Test
    void listenerCanStopTraining() {
        int[] calls = {0};
        Graph g = Zoo.lenet5(7, 10);
        Trainer.train(g, train(), TrainConfig.baseline(1).withBatchSize(64).withLogEvery(1), new TrainingListener() {
            @Override
            public void onProgress(Progress p) {
                calls[0]++;
            }

            @Override
            public boolean stopRequested() {
                return calls[0] >= 3;
            }
        });
        assertThat(calls[0]).isEqualTo(3);
    }

    /**
     * The teacher is a trained LeNet whose classifier rows are rotated (it answers label + 1), so a
     * student that learns the teacher instead of the labels is visible: trained on the soft term only,
     * it must mostly agree with the teacher and mostly disagree with the labels.
     */
    @Test
    void distillationTeachesTheTeachersAnswers() {
        Graph trained = Trainer.train(Zoo.lenet5(11, 10), train(),
                TrainConfig.baseline(2).withAugment(false).withLearningRate(3e-3f), null);
        Graph teacher = rotateClasses(trained, "fc3");
        Graph student = Trainer.train(Zoo.lenet5(12, 10), train(),
                TrainConfig.baseline(2).withAugment(false).withLearningRate(3e-3f), null,
                new Distillation(teacher, 1f, 1f));
        int[] taught;
        int[] teacherSays;
        try (DjlModel s = DjlModel.of(student); DjlModel t = DjlModel.of(teacher)) {
            taught = Evaluator.predict(s, test(), 100);
            teacherSays = Evaluator.predict(t, test(), 100);
        }
        int agree = 0;
        int right = 0;
        for (int i = 0; i < taught.length; i++) {
            agree += taught[i] == teacherSays[i] ? 1 : 0;
            right += taught[i] == test().label(i) ? 1 : 0;
        }
        assertThat(100.0 * agree / taught.length).as("agreement with the teacher %").isGreaterThan(50);
        assertThat(100.0 * right / taught.length).as("accuracy on the true labels %").isLessThan(25);
    }

    @Test
    void distillationSettingsAreChecked() {
        Graph g = Zoo.lenet5(1, 10);
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new Distillation(g, 0f, 0.5f)).withMessageContaining("temperature");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new Distillation(g, 4f, 1.5f)).withMessageContaining("weight");
    }

    /** Output row c of {@code layer} moves to row (c + 1) mod n: the model answers one class later. */
    private static Graph rotateClasses(Graph g, String layer) {
        Tensor w = g.param(layer + ".weight");
        Tensor b = g.param(layer + ".bias");
        int n = w.dim(0);
        int cols = w.size() / n;
        float[] rw = new float[w.size()];
        float[] rb = new float[n];
        for (int c = 0; c < n; c++) {
            System.arraycopy(w.data(), c * cols, rw, ((c + 1) % n) * cols, cols);
            rb[(c + 1) % n] = b.data()[c];
        }
        return g.toBuilder().param(layer + ".weight", new Tensor(w.shape(), rw))
                .param(layer + ".bias", new Tensor(b.shape(), rb)).build();
    }
}
