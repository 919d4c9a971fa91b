package dev.frontier.worker.train;

import java.util.Locale;

/**
 * How to train. {@code epochs} is a double: 0.25 trains a quarter of an epoch (a trial's fidelity),
 * 0 returns the model unchanged.
 *
 * @param epochs       passes over the training data (fractional allowed)
 * @param batchSize    images per step (incomplete last batches of an epoch are dropped)
 * @param optimizer    ADAM or SGD (SGD uses {@code momentum}, Nesterov off)
 * @param learningRate initial learning rate
 * @param momentum     SGD momentum
 * @param weightDecay  L2 penalty added to the gradients of every trained parameter
 * @param schedule     learning-rate schedule over the whole run
 * @param warmupSteps  linear warm-up steps from 0 to the learning rate (0 = none)
 * @param augment      random horizontal flips and shifts of up to 2 pixels (baseline training)
 * @param seed         order of the data and augmentation choices
 * @param logEvery     progress reported every this many steps (and at each epoch end)
 */
public record TrainConfig(double epochs, int batchSize, Optimizer optimizer, float learningRate, float momentum,
                          float weightDecay, Schedule schedule, int warmupSteps, boolean augment, long seed,
                          int logEvery) {

    public enum Optimizer { ADAM, SGD }

    public enum Schedule {
        /** Cosine from the learning rate down to 0 over the run. */
        COSINE,
        /** Divided by 10 at 50% and 75% of the run. */
        STEP,
        CONSTANT;

        public static Schedule parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }
    }

    public TrainConfig {
        if (!(epochs >= 0) || Double.isInfinite(epochs)) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        if (batchSize < 2) {
            throw new IllegalArgumentException("batch size must be >= 2 (batch norm needs it), got " + batchSize);
        }
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        }
        if (momentum < 0 || momentum >= 1 || weightDecay < 0 || warmupSteps < 0 || logEvery < 1) {
            throw new IllegalArgumentException("need 0 <= momentum < 1, weight decay >= 0, warm-up >= 0, logEvery >= 1");
        }
    }

    /** Baseline training defaults: Adam 1e-3, cosine, batch 128, flips and shifts. */
    public static TrainConfig baseline(double epochs) {
        return new TrainConfig(epochs, 128, Optimizer.ADAM, 1e-3f, 0.9f, 0f, Schedule.COSINE, 0, true, 0L, 50);
    }

    /**
     * Masked fine-tuning defaults (a compressed model near a good solution): Adam 2e-4, cosine,
     * batch 128, no augmentation.
     */
    public static TrainConfig fineTune(double epochs) {
        return new TrainConfig(epochs, 128, Optimizer.ADAM, 2e-4f, 0.9f, 0f, Schedule.COSINE, 0, false, 0L, 50);
    }

    public TrainConfig withEpochs(double e) {
        return new TrainConfig(e, batchSize, optimizer, learningRate, momentum, weightDecay, schedule, warmupSteps,
                augment, seed, logEvery);
    }

    public TrainConfig withBatchSize(int b) {
        return new TrainConfig(epochs, b, optimizer, learningRate, momentum, weightDecay, schedule, warmupSteps,
                augment, seed, logEvery);
    }

    public TrainConfig withOptimizer(Optimizer o, float lr) {
        return new TrainConfig(epochs, batchSize, o, lr, momentum, weightDecay, schedule, warmupSteps, augment, seed,
                logEvery);
    }

    public TrainConfig withLearningRate(float lr) {
        return withOptimizer(optimizer, lr);
    }

    public TrainConfig withWeightDecay(float wd) {
        return new TrainConfig(epochs, batchSize, optimizer, learningRate, momentum, wd, schedule, warmupSteps, augment,
                seed, logEvery);
    }

    public TrainConfig withSchedule(Schedule s) {
        return new TrainConfig(epochs, batchSize, optimizer, learningRate, momentum, weightDecay, s, warmupSteps,
                augment, seed, logEvery);
    }

    public TrainConfig withWarmup(int steps) {
        return new TrainConfig(epochs, batchSize, optimizer, learningRate, momentum, weightDecay, schedule, steps,
                augment, seed, logEvery);
    }

    public TrainConfig withAugment(boolean a) {
        return new TrainConfig(epochs, batchSize, optimizer, learningRate, momentum, weightDecay, schedule, warmupSteps,
                a, seed, logEvery);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(epochs, batchSize, optimizer, learningRate, momentum, weightDecay, schedule, warmupSteps,
                augment, s, logEvery);
    }

    public TrainConfig withLogEvery(int n) {
        return new TrainConfig(epochs, batchSize, optimizer, learningRate, momentum, weightDecay, schedule, warmupSteps,
                augment, seed, n);
    }

    /** Learning rate at step {@code step} of {@code total}. */
    public float learningRateAt(int step, int total) {
        float base = learningRate;
        if (warmupSteps > 0 && step < warmupSteps) {
            return base * (step + 1) / warmupSteps;
        }
        double t = total <= 1 ? 0 : (double) Math.min(step, total) / total;
        return switch (schedule) {
            case COSINE -> (float) (base * 0.5 * (1 + Math.cos(Math.PI * t)));
            case STEP -> t < 0.5 ? base : t < 0.75 ? base / 10 : base / 100;
            case CONSTANT -> base;
        };
    }
}
