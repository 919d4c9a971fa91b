package dev.frontier.worker.compile;

import dev.frontier.worker.bench.VariantMaker;
import dev.frontier.worker.compile.kernel.ActivationQuantizer;
import dev.frontier.worker.compile.op.Op;
import dev.frontier.worker.compress.ActivationCalibrator;
import dev.frontier.worker.compress.QuantSpec;
import dev.frontier.worker.compress.Quantizer;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Layer;
import dev.frontier.worker.model.Node;
import dev.frontier.worker.model.QuantScheme;
import dev.frontier.worker.model.ReferenceInterpreter;
import dev.frontier.worker.model.Zoo;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The int8 convolution path: quantizer and kernels against their scalar twins (integer sums, so the
 * outputs must be identical, across every variant), and against the float reference on the
 * dequantized weights (close, not equal: the activations are quantized).
 */
class Int8ConvTest {

    static Graph quantizeConvs(Graph g) {
        Graph out = g;
        for (Node n : g.nodes()) {
            if (n.layer() instanceof Layer.Conv2d) {
                out = Quantizer.quantize(out, out.node(n.name()), new QuantSpec(8, QuantScheme.SYMMETRIC));
            }
        }
        return out;
    }

    static Graph quantizeAll(Graph g) {
        Graph out = g;
        for (Node n : g.weightedNodes()) {
            out = Quantizer.quantize(out, out.node(n.name()), new QuantSpec(8, QuantScheme.SYMMETRIC));
        }
        return out;
    }

    /** Every variant, vector and scalar, gives bit-identical outputs; all close to the float reference. */
    static void checkExactAcrossVariants(Graph g, String expectedFormat, double refTol, String what) {
        float[] x = TestGraphs.input(g, 17);
        Plan plan = FrontierCompiler.compile(g, FrontierCompiler.Options.untuned());
        Op conv = plan.ops().get(0);
        assertThat(conv.format()).as(what).startsWith(expectedFormat);
        float[] first = null;
        for (int v : conv.variants()) {
            conv.variant(v);
            for (boolean scalar : new boolean[] {false, true}) {
                float[] y;
                try (Executor ex = new Executor(plan, 1, scalar)) {
                    y = ex.run(x);
                    assertThat(ex.run(x)).as(what + " second call").isEqualTo(y);
                }
                if (first == null) {
                    first = y;
                }
                assertThat(y).as(what + " variant " + v + (scalar ? " scalar" : " vector")).isEqualTo(first);
            }
        }
        try (Executor ex = new Executor(plan, 2, false)) {
            assertThat(ex.run(x)).as(what + " 2 threads").isEqualTo(first);
        }
        TestGraphs.assertClose(first, new ReferenceInterpreter(g).forward(x), refTol, what + " vs float reference");
    }

    static Graph net(int c, int h, int w, java.util.function.UnaryOperator<dev.frontier.worker.model.NetworkBuilder> body) {
        return KernelTwinTest.net(c, h, w, body);
    }

    @Test
    void quantizerTwinsGiveIdenticalCodes() {
        Random r = new Random(3);
        for (int n : new int[] {0, 1, 15, 16, 17, 33, 1003}) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = switch (i % 5) {
                    case 0 -> (float) (r.nextGaussian() * 60);
                    case 1 -> (r.nextInt(301) - 150) + 0.5f;   // exact halves, in and beyond range
                    case 2 -> -0f;
                    case 3 -> (float) (r.nextGaussian() * 1e6);
                    default -> r.nextFloat() - 0.5f;
                };
            }
            byte[] s = new byte[n + 16];
            byte[] v = new byte[n + 16];
            ActivationQuantizer.scalar(x, n, 1f, s);
            ActivationQuantizer.vector(x, n, 1f, v);
            assertThat(v).as("n=" + n).isEqualTo(s);
        }
        byte[] q = new byte[8];
        ActivationQuantizer.vector(new float[] {0.5f, -0.5f, 0.49f, 1000f, -1000f, 126.5f, -0f, 2.5f}, 8, 1f, q);
        assertThat(q).containsExactly(1, -1, 0, 127, -127, 127, 0, 3);
    }

    @Test
    void denseInt8ConvOnAwkwardSizesIsExactAcrossVariants() {
        checkExactAcrossVariants(quantizeConvs(net(3, 5, 11, b -> b.conv("c", 5, 3, 1, 1).relu("r"))), "int8", 0.03,
                "3x3 3->5 5x11");
        checkExactAcrossVariants(quantizeConvs(net(7, 9, 19, b -> b.conv("c", 13, 3, 1, 1).relu6("r"))), "int8", 0.03,
                "3x3 7->13 9x19");
        checkExactAcrossVariants(quantizeConvs(net(2, 17, 33, b -> b.conv("c", 9, 5, 1, 2))), "int8", 0.03,
                "5x5 pad 2 17x33");
        checkExactAcrossVariants(quantizeConvs(net(6, 7, 7, b -> b.conv("c", 11, 1, 1, 0))), "int8", 0.03, "1x1 7x7");
    }

    @Test
    void sparseInt8ConvIsExactAcrossSparseAndDenseKernels() {
        Graph g = net(9, 6, 21, b -> b.conv("c", 7, 3, 1, 1).relu("r"));
        checkExactAcrossVariants(quantizeConvs(VariantMaker.patternConnectivity(g, 8, 5)), "int8-pattern", 0.03,
                "pattern 8x");
        checkExactAcrossVariants(quantizeConvs(VariantMaker.patternConnectivity(g, 2.25, 8)), "int8-pattern", 0.03,
                "pattern only");
    }

    @Test
    void directInt8ConvStridedGroupedDepthwiseIsExact() {
        checkExactAcrossVariants(quantizeConvs(net(3, 13, 27, b -> b.conv("c", 5, 3, 2, 1).relu("r"))), "int8-direct",
                0.03, "3x3 s2");
        checkExactAcrossVariants(quantizeConvs(net(3, 7, 81, b -> b.conv("c", 5, 3, 2, 1))), "int8-direct", 0.03,
                "3x3 s2, 41 output columns");
        checkExactAcrossVariants(quantizeConvs(net(3, 14, 20, b -> b.conv("c", 4, 3, 3, 1))), "int8-direct", 0.03, "3x3 s3");
        checkExactAcrossVariants(quantizeConvs(net(4, 12, 12, b -> b.conv("c", 6, 5, 1, 0))), "int8-direct", 0.03,
                "5x5 valid");
        checkExactAcrossVariants(quantizeConvs(net(6, 10, 35, b -> b.conv("c", 9, 3, 2, 1, 3).relu6("r"))), "int8-direct",
                0.03, "grouped s2");
        checkExactAcrossVariants(quantizeConvs(net(8, 15, 17, b -> b.depthwise("d", 3, 1, 1).relu6("r"))),
                "int8-depthwise", 0.03, "depthwise");
        checkExactAcrossVariants(quantizeConvs(net(8, 17, 19, b -> b.depthwise("d", 5, 2, 2))), "int8-depthwise", 0.03,
                "depthwise 5x5 s2");
        checkExactAcrossVariants(quantizeConvs(net(4, 10, 11, b -> b.conv("a", 4, 5, 1, 2).conv("s", 6, 1, 2, 0))),
                "int8", 0.05, "1x1 s2 after a ring-2 conv");
    }

    @Test
    void calibratedScaleIsUsedAndSaturates() {
        Graph g = quantizeConvs(net(4, 8, 13, b -> b.conv("c", 6, 3, 1, 1)));
        float[] x = TestGraphs.input(g, 17);
        float range = ActivationQuantizer.maxAbs(x, x.length);
        // calibrated on a range half the real one: inputs beyond it saturate, so the output differs
        Graph half = g.toBuilder().metadata(ActivationCalibrator.SCALE_KEY + "c", Float.toString(range / 2 / 127f)).build();
        Graph exact = g.toBuilder().metadata(ActivationCalibrator.SCALE_KEY + "c", Float.toString(range / 127f)).build();
        float[] dynamic = run(g, x);
        assertThat(run(exact, x)).isEqualTo(dynamic);
        assertThat(run(half, x)).isNotEqualTo(dynamic);
        checkExactAcrossVariants(half, "int8", 0.5, "half-range calibration");
    }

    private static float[] run(Graph g, float[] x) {
        try (Executor ex = new Executor(FrontierCompiler.compile(g, FrontierCompiler.Options.untuned()), 1, false)) {
            return ex.run(x);
        }
    }

    @Test
    void quantizedVggRunsIntegerConvsAndShipsSmallerArtifact() {
        Graph g = TestGraphs.randomize(Zoo.vgg(2, 10), 5);
        Graph q = quantizeAll(g);
        Graph qp = quantizeAll(VariantMaker.patternConnectivity(g, 8, 8));
        Plan fp = FrontierCompiler.compile(g, FrontierCompiler.Options.untuned());
        Plan ip = FrontierCompiler.compile(q, FrontierCompiler.Options.untuned());
        Plan ipp = FrontierCompiler.compile(qp, FrontierCompiler.Options.untuned());
        List<String> formats = ip.ops().stream().filter(o -> o.name().startsWith("conv")).map(Op::format).toList();
        Graph mq = quantizeAll(TestGraphs.randomize(Zoo.mobilenet(2, 10), 5));
        Plan mobile = FrontierCompiler.compile(mq, FrontierCompiler.Options.untuned());
        assertThat(mobile.ops().stream().filter(o -> o.macs() > 0).map(Op::format).toList())
                .allMatch(f -> f.startsWith("int8")).contains("int8-depthwise");
        float[] mx = TestGraphs.input(mq, 4);
        try (Executor ex = new Executor(mobile, 1, false)) {
            TestGraphs.assertClose(ex.run(mx), new ReferenceInterpreter(mq).forward(mx), 0.05, "int8 mobilenet vs float");
        }
        assertThat(formats).isNotEmpty().allMatch("int8"::equals);
        assertThat(ipp.ops().stream().filter(o -> o.name().startsWith("conv")).map(Op::format).toList())
                .allMatch(f -> f.startsWith("int8-"));
        // weights dominate: one byte per weight instead of four
        assertThat((double) Artifact.toBytes(ip).length).isLessThan(0.3 * Artifact.toBytes(fp).length);
        float[] x = TestGraphs.input(g, 2);
        for (Plan p : List.of(ip, ipp)) {
            byte[] bytes = Artifact.toBytes(p);
            Plan back = Artifact.fromBytes(bytes);
            assertThat(Artifact.toBytes(back)).isEqualTo(bytes);
            try (Executor a = new Executor(p, 1, false); Executor b = new Executor(back, 1, false)) {
                assertThat(b.run(x)).isEqualTo(a.run(x));
            }
        }
        float[] ref = new ReferenceInterpreter(q).forward(x);
        try (Executor ex = new Executor(ip, 1, false)) {
            TestGraphs.assertClose(ex.run(x), ref, 0.05, "int8 vgg vs float reference");
        }
    }
}
