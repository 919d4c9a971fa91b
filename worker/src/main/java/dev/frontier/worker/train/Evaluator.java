package dev.frontier.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.frontier.worker.data.Dataset;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Shape;

/**
 * Top-1 accuracy of a Graph's float weights on a dataset, batched through DJL (inference mode: batch
 * norm uses the running statistics). This is the float model's accuracy; the compiled artifact's
 * accuracy is measured by the runtime on the same data.
 */
public final class Evaluator {
    public static final int DEFAULT_BATCH = 256;

    private Evaluator() {
    }

    /** Top-1 accuracy in percent. */
    public static double accuracy(Graph g, Dataset split) {
        return accuracy(g, split, DEFAULT_BATCH);
    }

    public static double accuracy(Graph g, Dataset split, int batchSize) {
        try (DjlModel m = DjlModel.of(g)) {
            return accuracy(m, split, batchSize);
        }
    }

    /** Accuracy of an already loaded model (its current DJL weights). */
    public static double accuracy(DjlModel m, Dataset split, int batchSize) {
        int[] predicted = predict(m, split, batchSize);
        if (predicted.length == 0) {
            return 0;
        }
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == split.label(i)) {
                correct++;
            }
        }
        return 100.0 * correct / predicted.length;
    }

    /** Predicted class (arg-max of the output) of every item of {@code split}. */
    public static int[] predict(DjlModel m, Dataset split, int batchSize) {
        return DjlEngine.withoutGrad(() -> predictBatches(m, split, batchSize));
    }

    private static int[] predictBatches(DjlModel m, Dataset split, int batchSize) {
        checkCompatible(m.graph(), split);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        Shape s = split.inputShape();
        int[] out = new int[split.size()];
        float[] buf = new float[batchSize * s.size()];
        long[] labels = new long[batchSize];
        for (int from = 0; from < split.size(); from += batchSize) {
            int n = Math.min(batchSize, split.size() - from);
            Batches.fill(split, null, from, n, buf, labels, null);
            try (NDManager batch = m.manager().newSubManager()) {
                NDArray x = batch.create(java.nio.FloatBuffer.wrap(buf, 0, n * s.size()),
                        new ai.djl.ndarray.types.Shape(n, s.c(), s.h(), s.w()));
                NDArray y = m.block().forward(new ParameterStore(batch, false), new NDList(x), false)
                        .singletonOrThrow();
                long[] arg = y.reshape(n, -1).argMax(1).toLongArray();
                for (int k = 0; k < n; k++) {
                    out[from + k] = (int) arg[k];
                }
            }
        }
        return out;
    }

    static void checkCompatible(Graph g, Dataset d) {
        if (!g.inputShape().equals(d.inputShape())) {
            throw new IllegalArgumentException("model input is " + g.inputShape() + " but dataset " + d.name()
                    + " has images of " + d.inputShape());
        }
        int outputs = g.shape(g.output().name()).size();
        if (outputs < d.classes()) {
            throw new IllegalArgumentException("model has " + outputs + " outputs but dataset " + d.name() + " has "
                    + d.classes() + " classes");
        }
    }
}
