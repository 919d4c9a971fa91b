package dev.frontier.worker.compile;

import dev.frontier.worker.bench.VariantMaker;
import dev.frontier.worker.compile.op.Op;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Mask;
import dev.frontier.worker.model.NetworkBuilder;
import dev.frontier.worker.model.QuantScheme;
import dev.frontier.worker.model.QuantizedTensor;
import dev.frontier.worker.model.ReferenceInterpreter;
import dev.frontier.worker.model.Tensor;

import java.util.Random;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every vectorized kernel against its scalar twin (and the reference interpreter) on awkward sizes:
 * odd channel counts, widths that are not a multiple of the vector length, stride 2, padding, every
 * tuning variant.
 */
class KernelTwinTest {

    /** Runs the graph with every variant of every op, vector and scalar, against the reference. */
    static void checkAllVariants(Graph g, String what) {
        float[] x = TestGraphs.input(g, 21);
        float[] expected = new ReferenceInterpreter(g).forward(x);
        Plan plan = FrontierCompiler.compile(g, FrontierCompiler.Options.untuned());
        int maxVariants = plan.ops().stream().mapToInt(o -> o.variants().length).max().orElse(1);
        for (int vi = 0; vi < maxVariants; vi++) {
            for (Op op : plan.ops()) {
                int[] vs = op.variants();
                op.variant(vs[Math.min(vi, vs.length - 1)]);
            }
            float[] vector;
            float[] scalar;
            try (Executor ex = new Executor(plan, 1, false)) {
                vector = ex.run(x);
            }
            try (Executor ex = new Executor(plan, 1, true)) {
                scalar = ex.run(x);
            }
            TestGraphs.assertClose(vector, scalar, 1e-5, what + " vector vs scalar, variant #" + vi);
            TestGraphs.assertClose(vector, expected, 1e-4, what + " vs reference, variant #" + vi);
        }
    }

    static Graph net(int c, int h, int w, UnaryOperator<NetworkBuilder> body) {
        return TestGraphs.randomize(body.apply(new NetworkBuilder(3, c, h, w)).build(), 5);
    }

    @Test
    void denseSameConvOddSizes() {
        checkAllVariants(net(3, 5, 11, b -> b.conv("c", 5, 3, 1, 1).relu("r")), "3x3 3->5 5x11");
        checkAllVariants(net(7, 9, 19, b -> b.conv("c", 13, 3, 1, 1).relu6("r")), "3x3 7->13 9x19");
        checkAllVariants(net(2, 17, 33, b -> b.conv("c", 9, 5, 1, 2)), "5x5 pad 2 17x33");
        checkAllVariants(net(6, 7, 7, b -> b.conv("c", 11, 1, 1, 0)), "1x1 7x7");
        checkAllVariants(net(1, 1, 1, b -> b.conv("c", 3, 1, 1, 0)), "1x1 on 1x1");
    }

    @Test
    void sparseConvPatternAndConnectivity() {
        Graph g = net(9, 6, 21, b -> b.conv("c", 7, 3, 1, 1).relu("r"));
        checkAllVariants(VariantMaker.patternConnectivity(g, 8, 5), "pattern 8x");
        checkAllVariants(VariantMaker.patternConnectivity(g, 2.25, 8), "pattern only");
        // connectivity on full kernels with many distinct shapes -> 9-tap sparse format
        Graph c = net(10, 5, 17, b -> b.conv("c", 9, 3, 1, 1));
        Tensor w = c.param("c.weight").copy();
        boolean[] keep = new boolean[w.size()];
        Random r = new Random(4);
        for (int k = 0; k < keep.length / 9; k++) {
            boolean kernel = r.nextDouble() < 0.3;
            for (int t = 0; t < 9; t++) {
                keep[k * 9 + t] = kernel && r.nextDouble() < 0.8;
            }
        }
        Mask m = new Mask(w.shape(), keep);
        m.applyTo(w);
        Graph masked = c.toBuilder().param("c.weight", w).mask("c.weight", m).build();
        Plan p = FrontierCompiler.compile(masked, FrontierCompiler.Options.untuned());
        assertThat(p.ops().get(0).format()).isEqualTo("connectivity");
        checkAllVariants(masked, "connectivity");
    }

    @Test
    void directConvStridedGroupedDepthwise() {
        checkAllVariants(net(3, 13, 27, b -> b.conv("c", 5, 3, 2, 1).relu("r")), "3x3 stride 2");
        checkAllVariants(net(4, 12, 12, b -> b.conv("c", 6, 5, 1, 0)), "5x5 valid");
        checkAllVariants(net(6, 11, 23, b -> b.conv("c", 9, 3, 1, 1, 3)), "grouped");
        checkAllVariants(net(8, 15, 17, b -> b.depthwise("d", 3, 1, 1).relu6("r")), "depthwise");
        checkAllVariants(net(8, 15, 17, b -> b.depthwise("d", 3, 2, 1)), "depthwise stride 2");
    }

    /** Strided convs run on the polyphase copy of their input: every stride, kernel, padding and ring mix. */
    @Test
    void stridedConvAwkwardSizes() {
        checkAllVariants(net(5, 16, 16, b -> b.conv("c", 7, 3, 2, 1)), "3x3 s2 even input");
        checkAllVariants(net(3, 7, 81, b -> b.conv("c", 5, 3, 2, 1).relu("r")), "3x3 s2, 41 output columns");
        checkAllVariants(net(3, 11, 21, b -> b.conv("c", 7, 5, 2, 2)), "5x5 s2 pad 2");
        checkAllVariants(net(3, 14, 20, b -> b.conv("c", 4, 3, 3, 1)), "3x3 s3");
        checkAllVariants(net(2, 9, 9, b -> b.conv("c", 3, 3, 2, 0)), "3x3 s2 valid");
        checkAllVariants(net(4, 9, 13, b -> b.conv("a", 6, 3, 1, 1).conv("p", 5, 1, 2, 0)), "1x1 s2, input ring 1");
        checkAllVariants(net(4, 10, 11, b -> b.conv("a", 4, 5, 1, 2).conv("s", 6, 3, 2, 1)), "3x3 s2 p1, input ring 2");
        checkAllVariants(net(6, 10, 35, b -> b.conv("c", 9, 3, 2, 1, 3).relu6("r")), "grouped s2");
        checkAllVariants(net(8, 17, 19, b -> b.depthwise("d", 5, 2, 2)), "depthwise 5x5 s2");
        checkAllVariants(net(3, 2, 3, b -> b.conv("c", 2, 3, 2, 1)), "3x3 s2 on 2x3");
    }

    @Test
    void poolsAndAdd() {
        checkAllVariants(net(3, 9, 21, b -> b.conv("c", 5, 3, 1, 1).maxPool("p", 2, 2)), "maxpool 2x2");
        checkAllVariants(net(3, 9, 21, b -> b.conv("c", 5, 3, 1, 1).maxPool("p", 3, 2)), "maxpool 3x3 s2");
        checkAllVariants(net(3, 9, 21, b -> b.conv("c", 5, 3, 1, 1).avgPool("p", 3, 1)), "avgpool 3x3 s1");
        checkAllVariants(net(3, 9, 21, b -> b.conv("c", 5, 3, 1, 1).globalAvgPool("g")), "global pool");
        checkAllVariants(net(3, 7, 19, b -> {
            String in = b.current();
            b.conv("a", 3, 3, 1, 1);
            return b.add("sum", in).relu("r");
        }), "add + relu");
        checkAllVariants(net(5, 6, 6, b -> b.batchNorm("bn").relu("r")), "unfolded batch norm");
    }

    @Test
    void linearDenseAndBlock() {
        checkAllVariants(net(37, 1, 1, b -> b.linear("fc", 13).relu("r").linear("fc2", 7).softmax("s")), "dense 37->13->7");
        Graph g = net(3, 5, 7, b -> b.flatten("f").linear("fc", 29).relu("r").linear("fc2", 5));
        Graph blocked = VariantMaker.blockLinear(g, 4, 16, 0.75);
        assertThat(FrontierCompiler.compile(blocked, FrontierCompiler.Options.untuned()).ops().stream()
                .filter(o -> o.name().equals("fc")).findFirst().orElseThrow().format()).isEqualTo("block");
        checkAllVariants(blocked, "block sparse");
    }

    @Test
    void int8LinearUsesIntegerKernelAndStaysClose() {
        Graph g = net(45, 1, 1, b -> b.linear("fc", 19).relu("r").linear("out", 6));
        Graph q = quantize(g, "fc");
        Plan plan = FrontierCompiler.compile(q, FrontierCompiler.Options.untuned());
        assertThat(plan.ops().get(0).format()).isEqualTo("int8");
        float[] x = TestGraphs.input(q, 3);
        float[] vector;
        float[] scalar;
        try (Executor ex = new Executor(plan, 1, false)) {
            vector = ex.run(x);
        }
        try (Executor ex = new Executor(plan, 1, true)) {
            scalar = ex.run(x);
        }
        TestGraphs.assertClose(vector, scalar, 1e-6, "int8 vector vs scalar");
        // the input is quantized to int8 per call: close to the float reference, not equal
        TestGraphs.assertClose(vector, new ReferenceInterpreter(q).forward(x), 0.03, "int8 vs float reference");
    }

    static Graph quantize(Graph g, String layer) {
        Tensor w = g.param(layer + ".weight");
        int rows = w.dim(0);
        int n = w.size() / rows;
        byte[] codes = new byte[w.size()];
        float[] scales = new float[rows];
        float[] deq = new float[w.size()];
        for (int r = 0; r < rows; r++) {
            float m = 0;
            for (int i = 0; i < n; i++) {
                m = Math.max(m, Math.abs(w.data()[r * n + i]));
            }
            scales[r] = m / 127f;
            for (int i = 0; i < n; i++) {
                int c = Math.round(w.data()[r * n + i] / scales[r]);
                codes[r * n + i] = (byte) c;
                deq[r * n + i] = c * scales[r];
            }
        }
        return g.toBuilder().param(layer + ".weight", new Tensor(w.shape(), deq))
                .quantized(layer + ".weight", new QuantizedTensor(8, QuantScheme.SYMMETRIC, w.shape(), codes, scales,
                        new boolean[rows])).build();
    }
}
