package dev.frontier.worker.compile;

import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Tensor;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Helpers: randomised parameters (so batch norm and biases are not identities) and output comparison. */
public final class TestGraphs {
    private TestGraphs() {
    }

    public static Graph randomize(Graph g, long seed) {
        Random r = new Random(seed);
        Graph.Builder b = g.toBuilder();
        g.params().forEach((name, t) -> {
            float[] d = t.data().clone();
            for (int i = 0; i < d.length; i++) {
                if (name.endsWith(".var")) {
                    d[i] = 0.5f + r.nextFloat();
                } else if (name.endsWith(".gamma")) {
                    d[i] = 0.5f + r.nextFloat();
                } else if (name.endsWith(".weight")) {
                    d[i] = t.data()[i];
                } else {
                    d[i] = (float) (r.nextGaussian() * 0.2);
                }
            }
            b.param(name, new Tensor(t.shape(), d));
        });
        return b.build();
    }

    static float[] input(Graph g, long seed) {
        Random r = new Random(seed);
        float[] x = new float[g.inputShape().size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    public static void assertClose(float[] actual, float[] expected, double relTol, String what) {
        assertThat(actual.length).as(what + " length").isEqualTo(expected.length);
        double scale = 1e-3;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < actual.length; i++) {
            assertThat((double) Math.abs(actual[i] - expected[i]))
                    .as(what + " [" + i + "] " + actual[i] + " vs " + expected[i])
                    .isLessThanOrEqualTo(relTol * scale);
        }
    }
}
