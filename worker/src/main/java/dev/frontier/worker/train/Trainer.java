package dev.frontier.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.frontier.worker.data.Dataset;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Mask;
import dev.frontier.worker.model.Shape;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Trains a Graph with DJL (PyTorch engine): baseline training of a fresh model, and masked
 * fine-tuning of a compressed one.
 *
 * <p>Masks: when the graph has masks ({@link Graph#masks()}), every masked parameter is multiplied by
 * its mask after every optimizer step, so pruned weights are exactly 0 throughout and in the result.
 * Nothing else is frozen: kept weights, biases and batch-norm parameters all train.
 *
 * <p>Quantization: if the graph has quantized tensors, training updates the float weights (which start
 * from the dequantized values) and the returned graph carries no quantized tensors, because they would
 * no longer match. The caller re-quantizes the result with the same configuration.
 */
public final class Trainer {
    private Trainer() {
    }

    /**
     * Trains a copy of {@code g} on {@code train} and returns it as a new Graph (same nodes, masks and
     * metadata, trained float weights and batch-norm statistics). {@code g} is not modified.
     */
    public static Graph train(Graph g, Dataset train, TrainConfig cfg, TrainingListener listener) {
        return train(g, train, cfg, listener, null);
    }

    /**
     * As {@link #train(Graph, Dataset, TrainConfig, TrainingListener)}, with the loss mixed with a
     * teacher's soft targets when {@code distill} is not null (the teacher is not trained).
     */
    public static Graph train(Graph g, Dataset train, TrainConfig cfg, TrainingListener listener,
                              Distillation distill) {
        Evaluator.checkCompatible(g, train);
        if (distill != null) {
            Evaluator.checkCompatible(distill.teacher(), train);
        }
        if (listener == null) {
            listener = TrainingListener.NONE;
        }
        int batch = cfg.batchSize();
        if (cfg.epochs() == 0 || train.size() == 0) {
            return g.copy();
        }
        if (train.size() < 2) {
            throw new IllegalArgumentException("need at least 2 training images, got " + train.size());
        }
        batch = Math.min(batch, train.size());
        int batchesPerEpoch = train.size() / batch;
        int totalSteps = Math.max(1, (int) Math.ceil(cfg.epochs() * batchesPerEpoch));
        int epochs = (totalSteps + batchesPerEpoch - 1) / batchesPerEpoch;
        Shape s = train.inputShape();

        try (DjlModel m = DjlModel.forTraining(g);
             DjlModel teacher = distill == null ? null : DjlModel.forTraining(distill.teacher());
             ai.djl.training.Trainer trainer = m.model().newTrainer(trainingConfig(cfg, totalSteps))) {
            trainer.initialize(new ai.djl.ndarray.types.Shape(batch, s.c(), s.h(), s.w()));
            Map<Parameter, NDArray> masks = maskArrays(m);
            applyMasks(masks);

            Random rng = new Random(cfg.seed());
            float[] images = new float[batch * s.size()];
            long[] labels = new long[batch];
            long start = System.nanoTime();
            long step = 0;
            boolean stopped = false;
            for (int epoch = 1; epoch <= epochs && !stopped; epoch++) {
                long epochStart = System.nanoTime();
                int[] order = Dataset.permutation(train.size(), cfg.seed() * 1_000_003L + epoch);
                int stepsThisEpoch = (int) Math.min(batchesPerEpoch, totalSteps - step);
                double lossSum = 0;
                long correct = 0;
                long seen = 0;
                TrainingListener.Progress p = null;
                for (int b = 0; b < stepsThisEpoch; b++) {
                    if (listener.stopRequested()) {
                        stopped = true;
                        break;
                    }
                    Batches.fill(train, order, b * batch, batch, images, labels, cfg.augment() ? rng : null);
                    float lr = cfg.learningRateAt((int) step, totalSteps);
                    try (NDManager sub = trainer.getManager().newSubManager()) {
                        NDArray x = sub.create(FloatBuffer.wrap(images), new ai.djl.ndarray.types.Shape(batch, s.c(),
                                s.h(), s.w()));
                        NDArray y = sub.create(labels);
                        NDArray soft = teacher == null ? null : softTargets(teacher, sub, x, distill.temperature());
                        NDArray logits;
                        NDArray loss;
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            logits = trainer.forward(new NDList(x)).singletonOrThrow();
                            loss = trainer.getLoss().evaluate(new NDList(y), new NDList(logits));
                            if (soft != null) {
                                loss = mixDistillation(loss, logits, soft, distill);
                            }
                            gc.backward(loss);
                        }
                        trainer.step();
                        applyMasks(masks);
                        lossSum += loss.getFloat() * batch;
                        long[] arg = logits.argMax(1).toLongArray();
                        for (int k = 0; k < batch; k++) {
                            if (arg[k] == labels[k]) {
                                correct++;
                            }
                        }
                        seen += batch;
                    }
                    step++;
                    double secs = (System.nanoTime() - start) / 1e9;
                    p = new TrainingListener.Progress(epoch, epochs, b + 1, stepsThisEpoch, step, totalSteps,
                            lossSum / seen, 100.0 * correct / seen, step * batch / Math.max(secs, 1e-9), lr);
                    if ((b + 1) % cfg.logEvery() == 0 || b + 1 == stepsThisEpoch) {
                        listener.onProgress(p);
                    }
                }
                if (p != null) {
                    listener.onEpochEnd(p, (System.nanoTime() - epochStart) / 1e9);
                }
            }
            Graph out = m.toGraph();
            Graph.Builder b = out.toBuilder()
                    .metadata("train.dataset", train.name())
                    .metadata("train.epochs", String.format(Locale.ROOT, "%.4g", (double) step / batchesPerEpoch))
                    .metadata("input.mean", Float.toString(train.normalization().mean()))
                    .metadata("input.std", Float.toString(train.normalization().std()));
            return b.build();
        }
    }

    /** The teacher's log-probabilities at temperature T, computed without gradients, in inference mode. */
    private static NDArray softTargets(DjlModel teacher, NDManager sub, NDArray x, float temperature) {
        return DjlEngine.withoutGrad(() -> teacher.block().forward(new ParameterStore(sub, false), new NDList(x), false)
                .singletonOrThrow().div(temperature).logSoftmax(1));
    }

    /** (1 - w) * hard loss + w * T^2 * KL(teacher || student), batch mean. */
    private static NDArray mixDistillation(NDArray hard, NDArray logits, NDArray teacherLogProbs, Distillation d) {
        NDArray studentLogProbs = logits.div(d.temperature()).logSoftmax(1);
        NDArray kl = teacherLogProbs.exp().mul(teacherLogProbs.sub(studentLogProbs)).sum(new int[] {1}).mean();
        float t2 = d.temperature() * d.temperature();
        return hard.mul(1 - d.weight()).add(kl.mul(d.weight() * t2));
    }

    private static DefaultTrainingConfig trainingConfig(TrainConfig cfg, int totalSteps) {
        // DJL counts updates from 1, per parameter
        Tracker lr = numUpdate -> cfg.learningRateAt(Math.max(0, numUpdate - 1), totalSteps);
        Optimizer opt = switch (cfg.optimizer()) {
            case ADAM -> Optimizer.adam().optLearningRateTracker(lr).optWeightDecays(cfg.weightDecay()).build();
            case SGD -> Optimizer.sgd().setLearningRateTracker(lr).optMomentum(cfg.momentum())
                    .optWeightDecays(cfg.weightDecay()).build();
        };
        return new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(opt);
    }

    private static Map<Parameter, NDArray> maskArrays(DjlModel m) {
        Map<Parameter, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, Mask> e : m.graph().masks().entrySet()) {
            Parameter p = m.block().irParameters().get(e.getKey());
            if (p == null) {
                continue;
            }
            boolean[] keep = e.getValue().keep();
            float[] f = new float[keep.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = keep[i] ? 1f : 0f;
            }
            out.put(p, m.manager().create(f, p.getArray().getShape()));
        }
        return out;
    }

    /** The mask is not part of the computation: applied with grad mode off (see {@link DjlEngine#withoutGrad}). */
    private static void applyMasks(Map<Parameter, NDArray> masks) {
        DjlEngine.withoutGrad(() -> {
            for (Map.Entry<Parameter, NDArray> e : masks.entrySet()) {
                e.getKey().getArray().muli(e.getValue());
            }
        });
    }
}
