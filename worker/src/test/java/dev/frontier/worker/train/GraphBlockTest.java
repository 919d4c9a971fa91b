package dev.frontier.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Layer;
import dev.frontier.worker.model.NetworkBuilder;
import dev.frontier.worker.model.Node;
import dev.frontier.worker.model.ReferenceInterpreter;
import dev.frontier.worker.model.Tensor;
import dev.frontier.worker.model.Zoo;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The DJL bridge computes the same function as the IR's ground-truth interpreter. */
class GraphBlockTest {

    static java.util.List<String> architectures() {
        return Zoo.ARCHITECTURES;
    }

    /** Non-trivial batch-norm statistics and biases, so an ignored or swapped parameter shows. */
    static Graph randomized(Graph g, long seed) {
        Random r = new Random(seed);
        Graph.Builder b = g.toBuilder();
        for (Node n : g.nodes()) {
            for (String suffix : n.layer().paramShapes().keySet()) {
                String name = n.param(suffix);
                Tensor t = g.param(name).copy();
                float[] d = t.data();
                for (int i = 0; i < d.length; i++) {
                    d[i] = switch (suffix) {
                        case "gamma" -> 0.5f + r.nextFloat();
                        case "var" -> 0.2f + 2 * r.nextFloat();
                        case "mean", "beta", "bias" -> (float) (0.3 * r.nextGaussian());
                        default -> d[i];
                    };
                }
                b.param(name, t);
            }
        }
        return b.build();
    }

    static float[] randomImages(int n, int size, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * size];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    static void assertMatchesReference(Graph g, int n) {
        int in = g.inputShape().size();
        float[] x = randomImages(n, in, 7);
        float[] djl;
        try (DjlModel m = DjlModel.of(g)) {
            djl = m.forward(x, n, false);
        }
        ReferenceInterpreter ref = new ReferenceInterpreter(g);
        int out = djl.length / n;
        for (int i = 0; i < n; i++) {
            float[] xi = java.util.Arrays.copyOfRange(x, i * in, (i + 1) * in);
            float[] expected = ref.forward(xi);
            assertThat(expected).hasSize(out);
            float scale = 0;
            for (float v : expected) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int k = 0; k < out; k++) {
                assertThat(Math.abs(djl[i * out + k] - expected[k]))
                        .as("image %d output %d of %s", i, k, g.metadata().get("arch"))
                        .isLessThanOrEqualTo(1e-4f * Math.max(1f, scale));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void zooModelsMatchTheReferenceInterpreter(String arch) {
        assertMatchesReference(randomized(Zoo.create(arch, 3, 10), 11), 3);
    }

    @Test
    void groupedConvAvgPoolRelu6SoftmaxAndBatchNormOnFeatures() {
        Graph g = new NetworkBuilder(5, 2, 9, 9).metadata("arch", "mixed")
                .conv("conv1", 6, 3, 1, 1, 2).batchNorm("bn1").relu6("r1")
                .avgPool("ap", 3, 2)
                .depthwise("dw", 3, 2, 1).relu("r2")
                .flatten("flat").linear("fc1", 12).batchNorm("bnf").relu("r3")
                .linear("fc2", 5).softmax("prob").build();
        assertMatchesReference(randomized(g, 2), 4);
    }

    @Test
    void paddedPoolsCountLikeTheInterpreter() {
        Node in = new Node("input", new Layer.Input(3, 7, 7), java.util.List.of());
        Node mp = new Node("mp", new Layer.MaxPool(3, 2, 1), java.util.List.of("input"));
        Node ap = new Node("ap", new Layer.AvgPool(3, 2, 1), java.util.List.of("mp"));
        Graph g = new Graph(java.util.List.of(in, mp, ap), java.util.Map.of());
        assertMatchesReference(g, 2);
    }

    @Test
    void nnpackIsDisabledSoBatchOneRunsQuietly() {
        assertThat(DjlEngine.nnpackEnabled()).isNotEqualTo(Boolean.TRUE);
    }

    @Test
    void weightsRoundTripExactly() {
        Graph g = randomized(Zoo.resnet(1, 10), 4);
        try (DjlModel m = DjlModel.of(g)) {
            Graph back = m.toGraph();
            assertThat(back.params()).isEqualTo(g.params());
            assertThat(back.nodes()).isEqualTo(g.nodes());
        }
    }
}
