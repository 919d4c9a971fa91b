package dev.frontier.worker.measure;

import dev.frontier.worker.compile.nativ.NativeBuild;
import dev.frontier.worker.data.Dataset;
import dev.frontier.worker.model.Shape;

/**
 * Top-1 accuracy of a built native bundle: the split goes through the harness's {@code run} mode in
 * one subprocess call (the generated code, not the JVM, computes every logit).
 */
public final class NativeAccuracy {
    private NativeAccuracy() {
    }

    public static Accuracy.Result evaluate(NativeBuild build, Shape input, int outputs, Dataset split, int limit) {
        if (!split.inputShape().equals(input)) {
            throw new IllegalArgumentException("dataset images are " + split.inputShape() + " but the model takes " + input);
        }
        int n = limit > 0 ? Math.min(limit, split.size()) : split.size();
        int in = input.size();
        float[] x = new float[n * in];
        for (int i = 0; i < n; i++) {
            split.copyImage(i, x, i * in);
        }
        long t0 = System.nanoTime();
        float[] y = new NativeRunner(build).run(x, outputs, n);
        double ms = (System.nanoTime() - t0) / 1e6;
        int correct = 0;
        float[] row = new float[outputs];
        for (int i = 0; i < n; i++) {
            System.arraycopy(y, i * outputs, row, 0, outputs);
            if (Accuracy.argmax(row) == split.label(i)) {
                correct++;
            }
        }
        return new Accuracy.Result(n == 0 ? 0 : 100.0 * correct / n, correct, n, ms);
    }
}
