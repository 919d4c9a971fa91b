package dev.frontier.worker.measure;

import dev.frontier.worker.compile.Executor;
import dev.frontier.worker.compile.Plan;
import dev.frontier.worker.data.Dataset;

import java.util.LinkedHashMap;
import java.util.Map;

/** Top-1 accuracy of a compiled plan (the artifact's exact bytes) on a dataset split, batch-1 loop. */
public final class Accuracy {
    private Accuracy() {
    }

    public record Result(double accuracy, int correct, int total, double millis) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("accuracy", Math.round(accuracy * 1e4) / 1e4);
            m.put("correct", correct);
            m.put("total", total);
            m.put("evaluateMs", Math.round(millis));
            return m;
        }
    }

    public static Result evaluate(Plan plan, Dataset split, int limit, int threads) {
        try (Executor ex = new Executor(plan, threads)) {
            return evaluate(ex, split, limit);
        }
    }

    public static Result evaluate(Executor ex, Dataset split, int limit) {
        if (!split.inputShape().equals(ex.plan().inputLayout().shape())) {
            throw new IllegalArgumentException("dataset images are " + split.inputShape() + " but the model takes "
                    + ex.plan().inputLayout().shape());
        }
        int n = limit > 0 ? Math.min(limit, split.size()) : split.size();
        float[] x = new float[ex.inputSize()];
        float[] y = new float[ex.outputSize()];
        int correct = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            split.copyImage(i, x, 0);
            ex.run(x, y);
            if (argmax(y) == split.label(i)) {
                correct++;
            }
        }
        return new Result(n == 0 ? 0 : 100.0 * correct / n, correct, n, (System.nanoTime() - t0) / 1e6);
    }

    public static int argmax(float[] y) {
        int best = 0;
        for (int i = 1; i < y.length; i++) {
            if (y[i] > y[best]) {
                best = i;
            }
        }
        return best;
    }
}
