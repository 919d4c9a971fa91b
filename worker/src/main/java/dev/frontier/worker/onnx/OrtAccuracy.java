package dev.frontier.worker.onnx;

import dev.frontier.worker.data.Dataset;
import dev.frontier.worker.measure.Accuracy;
import dev.frontier.worker.model.Graph;

/** Top-1 accuracy of a graph's ONNX export under ONNX Runtime, batched; comparable to {@link Accuracy}. */
public final class OrtAccuracy {
    private static final int BATCH = 50;

    private OrtAccuracy() {
    }

    public static Accuracy.Result evaluate(Graph g, Dataset split, int limit, int threads) {
        if (!split.inputShape().equals(g.inputShape())) {
            throw new IllegalArgumentException("dataset images are " + split.inputShape() + " but the model takes "
                    + g.inputShape());
        }
        int n = limit > 0 ? Math.min(limit, split.size()) : split.size();
        int correct = 0;
        long t0 = System.nanoTime();
        try (OrtModel m = OrtModel.of(g, threads)) {
            int in = m.inputSize();
            int out = m.outputSize();
            for (int start = 0; start < n; start += BATCH) {
                int b = Math.min(BATCH, n - start);
                float[] x = new float[b * in];
                for (int i = 0; i < b; i++) {
                    split.copyImage(start + i, x, i * in);
                }
                float[] y = m.runBatch(x, b);
                for (int i = 0; i < b; i++) {
                    float[] row = java.util.Arrays.copyOfRange(y, i * out, (i + 1) * out);
                    if (Accuracy.argmax(row) == split.label(start + i)) {
                        correct++;
                    }
                }
            }
        }
        return new Accuracy.Result(n == 0 ? 0 : 100.0 * correct / n, correct, n, (System.nanoTime() - t0) / 1e6);
    }
}
