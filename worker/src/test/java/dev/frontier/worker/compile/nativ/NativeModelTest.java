package dev.frontier.worker.compile.nativ;

import dev.frontier.worker.bench.VariantMaker;
import dev.frontier.worker.compile.Executor;
import dev.frontier.worker.compile.FrontierCompiler;
import dev.frontier.worker.compile.Plan;
import dev.frontier.worker.compress.ActivationCalibrator;
import dev.frontier.worker.compress.Compressor;
import dev.frontier.worker.measure.NativeRunner;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Layer;
import dev.frontier.worker.model.Mask;
import dev.frontier.worker.model.NetworkBuilder;
import dev.frontier.worker.model.Node;
import dev.frontier.worker.model.ReferenceInterpreter;
import dev.frontier.worker.model.Tensor;
import dev.frontier.worker.model.Zoo;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static dev.frontier.worker.compile.TestGraphs.assertClose;
import static dev.frontier.worker.compile.TestGraphs.randomize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Generated C (vector kernels and their scalar twins, built with gcc -Wall -Werror) computes what the
 * reference interpreter computes (<= 1e-4 relative), on awkward shapes and compressed variants.
 */
class NativeModelTest {
    static NativeToolchain tc;

    /** Both builds of a host toolchain: the vector kernels (false) and -DFRONTIER_SCALAR (true). */
    static final boolean[] BOTH = {false, true};

    @BeforeAll
    static void toolchain() {
        Optional<NativeToolchain> t = NativeToolchain.host();
        assumeTrue(t.isPresent(), "no C compiler on this machine (set FRONTIER_CC or install gcc); native tests skipped");
        tc = t.get();
    }

    static void check(Graph g, String what) {
        check(tc, BOTH, g, what);
    }

    /** Runs 3 random inputs through each build ({@code scalars}: with -DFRONTIER_SCALAR or not) of the toolchain. */
    static void check(NativeToolchain toolchain, boolean[] scalars, Graph g, String what) {
        Plan plan = FrontierCompiler.compile(g, FrontierCompiler.Options.untuned());
        int n = 3;
        int in = g.inputShape().size();
        Random r = new Random(5);
        float[] x = new float[n * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        ReferenceInterpreter ref = new ReferenceInterpreter(g);
        for (boolean scalar : scalars) {
            NativeBuild b = NativeBuild.cached(plan, toolchain, scalar);
            int out = plan.outputLayout().shape().size();
            float[] y = new NativeRunner(b).run(x, out, n);
            for (int k = 0; k < n; k++) {
                float[] xi = new float[in];
                System.arraycopy(x, k * in, xi, 0, in);
                float[] expected = ref.forward(xi);
                float[] actual = new float[out];
                System.arraycopy(y, k * out, actual, 0, out);
                assertClose(actual, expected, 1e-4, what + (scalar ? " scalar" : " vector") + " input " + k);
            }
        }
    }

    @Test
    void vggDenseAndCompressedMatchReference() {
        Graph g = randomize(Zoo.vgg(3, 10), 9);
        check(g, "vgg dense");
        check(VariantMaker.patternConnectivity(g, 8, 8), "vgg pattern 8x");
        check(VariantMaker.patternConnectivity(g, 2.25, 8), "vgg pattern only (dense kernel on expanded weights)");
        check(VariantMaker.blockLinear(g, 4, 16, 0.75), "vgg block linear");
    }

    @Test
    void residualStridedDepthwiseModelsMatchReference() {
        Graph res = randomize(Zoo.resnet(4, 10), 11);
        check(res, "resnet (stride 2, 1x1 projections, residual add, global pool)");
        check(VariantMaker.patternConnectivity(res, 8, 6), "resnet pattern 8x");
        check(randomize(Zoo.mobilenet(5, 10), 12), "mobilenet (depthwise, relu6)");
    }

    /** Odd sizes, channels not multiples of 16, 1x1 and 5x5 "same" convs, avg pool, softmax. */
    @Test
    void awkwardShapesMatchReference() {
        NetworkBuilder b = new NetworkBuilder(21, 3, 13, 11);
        b.conv("c1", 20, 3, 1, 1).batchNorm("bn1").relu("r1");
        b.conv("c2", 37, 3, 1, 1).relu("r2");
        b.conv("c3", 17, 1, 1, 0).relu6("r3");
        b.conv("c4", 5, 5, 1, 2);
        b.avgPool("p1", 2, 2);
        b.conv("c5", 18, 3, 2, 1).relu("r5");
        Graph g = randomize(b.flatten("f").linear("fc", 19).softmax("sm").build(), 13);
        check(g, "awkward dense");
        check(VariantMaker.patternConnectivity(g, 8, 4), "awkward pattern 8x");
    }

    /**
     * Rows of 14 (a ring of 1: one vector per padded row) take the row-aligned sparse blocks: aligned loads,
     * side taps as lane rotations, masked stores; 9 rows make the last block of two rows overlap the one before.
     */
    @Test
    void rowAlignedSparseBlocksMatchReference() {
        NetworkBuilder b = new NetworkBuilder(51, 6, 9, 14);
        b.conv("c1", 19, 3, 1, 1).relu("r1");
        b.conv("c2", 26, 3, 1, 1).relu6("r2");
        b.conv("c3", 21, 3, 1, 1).relu("r3");
        Graph dense = randomize(b.flatten("f").linear("fc", 5).build(), 18);
        Graph g = VariantMaker.patternConnectivity(dense, 8, 4);
        Plan plan = FrontierCompiler.compile(g, FrontierCompiler.Options.untuned());
        assertThat(ModelEmitter.modelSource(plan)).as("generated C").contains("valignd");
        check(g, "row-aligned sparse blocks");
        Graph q = int8(dense, "\"prune\":{\"scheme\":\"pattern\",\"patterns\":8,\"connectivity\":0.7}");
        assertThat(ModelEmitter.modelSource(FrontierCompiler.compile(q, FrontierCompiler.Options.untuned())))
                .as("generated int8 C").contains("valignd").contains("vmovdqa32");
        checkExact(q, "int8 row-aligned sparse blocks");
    }

    /** Filters whose kernels were all pruned keep only their bias; one input channel feeds nothing. */
    @Test
    void allPrunedFiltersAndChannels() {
        NetworkBuilder b = new NetworkBuilder(31, 2, 9, 10);
        b.conv("c1", 24, 3, 1, 1).relu("r1");
        b.conv("c2", 33, 3, 1, 1).relu("r2");
        Graph g = VariantMaker.patternConnectivity(randomize(b.flatten("f").linear("fc", 7).build(), 14), 8, 8);
        Graph.Builder gb = g.toBuilder();
        for (Node n : g.nodes()) {
            if (n.layer() instanceof Layer.Conv2d c && n.name().equals("c2")) {
                Tensor w = g.param(n.weightName()).copy();
                boolean[] keep = new boolean[w.data().length];
                int per = c.inChannels() * 9;
                for (int i = 0; i < keep.length; i++) {
                    int oc = i / per;
                    int ic = i % per / 9;
                    keep[i] = g.mask(n.weightName()).keep()[i] && oc % 3 != 0 && ic != 5;
                    if (!keep[i]) {
                        w.data()[i] = 0f;
                    }
                }
                gb.param(n.weightName(), w).mask(n.weightName(), new Mask(w.shape(), keep));
            }
        }
        check(gb.build(), "all-pruned filters");
    }

    static Graph int8(Graph g, String prune) {
        String cfg = "{\"default\":{" + (prune == null ? "" : prune + ",")
                + "\"quantize\":{\"bits\":8,\"scheme\":\"symmetric\"}}}";
        Graph q = Compressor.compress(g, cfg).graph();
        List<float[]> images = new ArrayList<>();
        Random r = new Random(3);
        for (int i = 0; i < 8; i++) {
            float[] x = new float[g.inputShape().size()];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) r.nextGaussian();
            }
            images.add(x);
        }
        return ActivationCalibrator.maxAbs().calibrate(q, images);
    }

    /** Int8 layers are bit-identical to the JVM executor's (vector and scalar C, VNNI and its twin). */
    static void checkExact(Graph g, String what) {
        checkExact(tc, BOTH, g, what);
    }

    static void checkExact(NativeToolchain toolchain, boolean[] scalars, Graph g, String what) {
        Plan plan = FrontierCompiler.compile(g, FrontierCompiler.Options.untuned());
        int n = 3;
        int in = g.inputShape().size();
        int out = plan.outputLayout().shape().size();
        Random r = new Random(6);
        float[] x = new float[n * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] expected;
        try (Executor ex = new Executor(plan, 1, false)) {
            expected = ex.runBatch(x, n);
        }
        for (boolean scalar : scalars) {
            float[] y = new NativeRunner(NativeBuild.cached(plan, toolchain, scalar)).run(x, out, n);
            for (int i = 0; i < y.length; i++) {
                assertThat(Float.floatToIntBits(y[i])).as(what + (scalar ? " scalar" : " vnni") + " [" + i + "] " + y[i]
                        + " vs " + expected[i]).isEqualTo(Float.floatToIntBits(expected[i]));
            }
        }
    }

    @Test
    void int8MatchesJvmExactly() {
        Graph g = randomize(Zoo.vgg(3, 10), 9);
        checkExact(int8(g, null), "vgg int8");
        checkExact(int8(g, "\"prune\":{\"scheme\":\"pattern\",\"patterns\":8,\"connectivity\":0.71875}"),
                "vgg int8 + pattern 8x");
        NetworkBuilder b = new NetworkBuilder(41, 3, 11, 9);
        b.conv("c1", 20, 3, 1, 1).relu("r1");
        b.conv("c2", 37, 3, 1, 1);
        b.conv("c3", 17, 1, 1, 0).relu("r3");
        b.conv("c4", 6, 5, 1, 2).relu("r4");
        checkExact(int8(randomize(b.flatten("f").linear("fc", 13).build(), 15), null), "awkward int8");
        // two input channels under a 5x5 kernel: the im2col form (50 reduction values, the last group of 4
        // half padding) on rows of 19 (a vector block and a tail); a linear of 70 rows over 1064 inputs
        // (four-row blocks plus two rows, a masked tail of the 64-byte dot products)
        NetworkBuilder few = new NetworkBuilder(43, 2, 7, 19);
        few.conv("c1", 8, 5, 1, 2).relu("r1");
        checkExact(int8(randomize(few.flatten("f").linear("fc", 70).build(), 16), null), "int8 im2col and VNNI linear");
        // a linear over signed inputs (no activation before it) whose last row is outside the 4-row blocks:
        // gcc 12 vectorized the scalar tail loop wrongly (row 4: 1.16 expected, -1.05 computed)
        NetworkBuilder signed = new NetworkBuilder(51, 6, 9, 14);
        signed.conv("c1", 19, 3, 1, 1).relu("r1");
        signed.conv("c2", 21, 1, 1, 0);
        checkExact(int8(randomize(signed.flatten("f").linear("fc", 5).build(), 18), null), "int8 linear tail rows, signed inputs");
        // the sparse VNNI kernel: quads cut by cin 5 and 13 (zero codes past cin), a ReLU6 epilogue, a plane
        // of 11x9 (four blocks, the last shifted back; hot code, weights broadcast once) and one of 5x4 (shorter
        // than a vector: masked stores; cold code, embedded broadcasts)
        NetworkBuilder sp = new NetworkBuilder(47, 5, 11, 9);
        sp.conv("c1", 13, 3, 1, 1).relu("r1");
        sp.conv("c2", 29, 3, 1, 1).relu6("r2");
        sp.maxPool("p2", 2, 2);
        sp.conv("c3", 18, 3, 1, 1).relu("r3");
        sp.conv("c4", 21, 3, 1, 1).relu("r4");
        Graph sparse = int8(randomize(sp.flatten("f").linear("fc", 6).build(), 17),
                "\"prune\":{\"scheme\":\"pattern\",\"patterns\":8,\"connectivity\":0.7}");
        assertThat(FrontierCompiler.compile(sparse, FrontierCompiler.Options.untuned()).ops().stream()
                .filter(op -> "int8-vnni-sparse".equals(NativeBuild.kernelOf(op))).count())
                .as("layers on the sparse VNNI kernel").isGreaterThanOrEqualTo(3);
        checkExact(sparse, "int8 sparse VNNI, awkward shapes");
    }
}
