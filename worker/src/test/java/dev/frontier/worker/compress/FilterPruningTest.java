package dev.frontier.worker.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Layer;
import dev.frontier.worker.model.Node;
import dev.frontier.worker.model.ReferenceInterpreter;
import dev.frontier.worker.model.Shape;
import dev.frontier.worker.model.Tensor;
import dev.frontier.worker.model.Zoo;

class FilterPruningTest {
    private static final PruneSpec.Filter HALF = new PruneSpec.Filter(0.5, PruneSpec.FilterCriterion.L2);

    @Test
    void vggConvLosesFiltersAndTheNextConvItsInputs() {
        Graph g = withRandomBatchNorm(Zoo.vgg(1, 10));
        Graph c = new FilterPruning().apply(g, g.node("conv2"), HALF);
        int[] kept = kept(c, "conv2");
        assertThat(kept).hasSize(16);
        assertThat(((Layer.Conv2d) c.node("conv2").layer()).outChannels()).isEqualTo(16);
        assertThat(((Layer.BatchNorm) c.node("bn2").layer()).channels()).isEqualTo(16);
        assertThat(((Layer.Conv2d) c.node("conv3").layer()).inChannels()).isEqualTo(16);
        assertThat(c.param("conv3.weight").shape()).containsExactly(64, 16, 3, 3);
        assertThat(c.masks()).isEmpty();
        assertKeptChannelsUnchanged(g, c, kept, "conv2", "bn2", "relu2", "pool1");
        // the kept filters are the largest by L2 norm
        double[] norms = MaskPruning.groupEnergy(g.param("conv2.weight").data(), 32 * 9);
        double minKept = Arrays.stream(kept).mapToDouble(i -> norms[i]).min().orElseThrow();
        for (int i = 0; i < 32; i++) {
            if (Arrays.binarySearch(kept, i) < 0) {
                assertThat(norms[i]).isLessThanOrEqualTo(minKept);
            }
        }
        assertThat(c.paramCount()).isLessThan(g.paramCount());
        assertThat(c.totalMacs()).isLessThan(g.totalMacs());
    }

    @Test
    void flattenThenLinearLosesWholeFeatureGroups() {
        Graph g = withRandomBatchNorm(Zoo.vgg(1, 10));
        Graph c = new FilterPruning().apply(g, g.node("conv5"), new PruneSpec.Filter(0.25, PruneSpec.FilterCriterion.L2));
        int[] kept = kept(c, "conv5");
        assertThat(kept).hasSize(96);
        // 128 x 3 x 3 flattened -> 96 x 9 features
        assertThat(((Layer.Linear) c.node("fc1").layer()).inFeatures()).isEqualTo(96 * 9);
        float[] before = g.param("fc1.weight").data();
        float[] after = c.param("fc1.weight").data();
        for (int o = 0; o < 256; o += 51) {
            for (int j = 0; j < kept.length; j++) {
                for (int s = 0; s < 9; s++) {
                    assertThat(after[o * 96 * 9 + j * 9 + s]).isEqualTo(before[o * 128 * 9 + kept[j] * 9 + s]);
                }
            }
        }
        assertKeptChannelsUnchanged(g, c, kept, "conv5", "bn5", "relu5", "pool3");
        // linear filter pruning: fc1's outputs, and fc2's inputs
        Graph d = new FilterPruning().apply(c, c.node("fc1"), HALF);
        assertThat(d.param("fc2.weight").shape()).containsExactly(10, 128);
        assertKeptChannelsUnchanged(c, d, kept(d, "fc1"), "fc1", "relu_fc1");
    }

    @Test
    void bnGammaCriterionDropsTheSmallestGammas() {
        Graph g = withRandomBatchNorm(Zoo.vgg(1, 10));
        Graph c = new FilterPruning().apply(g, g.node("conv1"), new PruneSpec.Filter(0.5, PruneSpec.FilterCriterion.BN_GAMMA));
        float[] gamma = g.param("bn1.gamma").data();
        int[] kept = kept(c, "conv1");
        float minKept = Float.MAX_VALUE;
        for (int i : kept) {
            minKept = Math.min(minKept, Math.abs(gamma[i]));
        }
        for (int i = 0; i < gamma.length; i++) {
            if (Arrays.binarySearch(kept, i) < 0) {
                assertThat(Math.abs(gamma[i])).isLessThanOrEqualTo(minKept);
            }
        }
    }

    @Test
    void resnetPrunesInsideBlocksAndAcrossResidualAddsAsOneGroup() {
        Graph g = withRandomBatchNorm(Zoo.resnet(2, 10));
        Graph c = new FilterPruning().apply(g, g.node("block2.conv1"), HALF);
        assertThat(c.param("block2.conv2.weight").shape()).containsExactly(32, 16, 3, 3);
        assertKeptChannelsUnchanged(g, c, kept(c, "block2.conv1"), "block2.conv1", "block2.bn1", "block2.relu1");

        // block2.conv2 and the projection shortcut meet at block2.add: pruned alike, and the add and
        // everything up to the next stage's inputs keep their kept channels exactly
        assertThat(FilterPruning.group(g, g.node("block2.conv2"))).containsExactly("block2.conv2", "block2.proj");
        Graph r = new FilterPruning().apply(g, g.node("block2.conv2"), HALF);
        int[] kept = kept(r, "block2.conv2");
        assertThat(kept(r, "block2.proj")).containsExactly(kept);
        assertThat(r.param("block3.conv1.weight").shape()).containsExactly(64, 16, 3, 3);
        assertThat(r.param("block3.proj.weight").shape()).containsExactly(64, 16, 1, 1);
        assertKeptChannelsUnchanged(g, r, kept, "block2.conv2", "block2.bn2", "block2.proj", "block2.proj_bn",
                "block2.add", "block2.relu2");
        // identity shortcut: the stem and block1's last conv share channels
        assertThat(FilterPruning.group(g, g.node("conv0"))).containsExactlyInAnyOrder("conv0", "block1.conv2");
        Graph s = new FilterPruning().apply(g, g.node("block1.conv2"), HALF);
        assertThat(s.param("block1.conv1.weight").shape()).containsExactly(16, 8, 3, 3);
        assertKeptChannelsUnchanged(g, s, kept(s, "conv0"), "conv0", "bn0", "relu0");
        runs(s);
        // the last stage feeds the classifier through global pooling
        Graph t = new FilterPruning().apply(g, g.node("block3.conv2"), HALF);
        assertThat(t.param("fc.weight").shape()).containsExactly(10, 32);
        runs(t);
        assertThat(new FilterPruning().unfitReason(g, g.node("fc"))).contains("model output");

        // a default filter config prunes every layer once, groups at the rate of their first member
        Compressor.Result all = Compressor.compress(g, "{\"default\": {\"prune\": {\"scheme\": \"filter\", \"rate\": 0.5}}}");
        assertThat(all.report().notes()).anyMatch(n -> n.startsWith("block1.conv2: filter-pruned with conv0"));
        for (var n : all.graph().weightedNodes()) {
            if (!n.name().equals("fc")) {
                assertThat(all.graph().param(n.weightName()).dim(0)).as(n.name()).isEqualTo(g.param(n.weightName()).dim(0) / 2);
            }
        }
        assertThat(all.graph().param("fc.weight").shape()).containsExactly(10, 32);
        runs(all.graph());
        // only one member listed: the other follows, and the report says so
        Compressor.Result one = Compressor.compress(g, "{\"layers\": {\"block1.conv2\": {\"prune\": {\"scheme\": \"filter\", \"rate\": 0.25}}}}");
        assertThat(one.report().layer("conv0").scheme()).isEqualTo("filter");
        assertThat(one.report().layer("conv0").note()).contains("filter-pruned with block1.conv2");
        assertThat(one.graph().param("conv0.weight").dim(0)).isEqualTo(12);
        // listed but impossible (the classifier): skipped with a note, not an error
        Compressor.Result out = Compressor.compress(g, "{\"layers\": {\"fc\": {\"prune\": {\"scheme\": \"filter\", \"rate\": 0.5}}}}");
        assertThat(out.report().layer("fc").note()).contains("filter pruning skipped").contains("model output");
    }

    @Test
    void mobilenetDepthwiseConvsFollowTheirInput() {
        Graph g = withRandomBatchNorm(Zoo.mobilenet(3, 10));
        assertThat(new FilterPruning().unfitReason(g, g.node("dw2"))).contains("depthwise");
        Graph c = new FilterPruning().apply(g, g.node("pw1"), HALF);
        int[] kept = kept(c, "pw1");
        Layer.Conv2d dw = (Layer.Conv2d) c.node("dw2").layer();
        assertThat(dw.inChannels()).isEqualTo(16);
        assertThat(dw.outChannels()).isEqualTo(16);
        assertThat(dw.groups()).isEqualTo(16);
        assertThat(c.param("dw2.weight").shape()).containsExactly(16, 1, 3, 3);
        assertThat(c.param("pw2.weight").shape()).containsExactly(64, 16, 1, 1);
        assertKeptChannelsUnchanged(g, c, kept, "pw1", "pw1_bn", "pw1_relu", "dw2", "dw2_bn", "dw2_relu");

        Compressor.Result res = Compressor.compress(g, "{\"default\": {\"prune\": {\"scheme\": \"filter\", \"rate\": 0.25}}}");
        Graph all = res.graph();
        assertThat(((Layer.Conv2d) all.node("conv0").layer()).outChannels()).isEqualTo(12);
        assertThat(((Layer.Conv2d) all.node("dw1").layer()).groups()).isEqualTo(12);
        assertThat(((Layer.Conv2d) all.node("pw4").layer()).outChannels()).isEqualTo(96);
        assertThat(all.param("fc.weight").shape()).containsExactly(10, 96);
        runs(all);
    }

    @Test
    void masksAndQuantizedCopiesAreSlicedAlong() {
        Graph g = Zoo.vgg(1, 10);
        Graph m = Compressor.compress(g, "{\"layers\": {\"conv3\": {\"prune\": {\"scheme\": \"pattern\"},"
                + " \"quantize\": {\"bits\": 8, \"scheme\": \"symmetric\"}}}}").graph();
        Graph c = new FilterPruning().apply(m, m.node("conv2"), HALF);
        assertThat(c.mask("conv3.weight").shape()).containsExactly(64, 16, 3, 3);
        assertThat(c.mask("conv3.weight").keptCount()).isEqualTo(64 * 16 * 4);
        assertThat(c.quantized("conv3.weight").dequantize()).isEqualTo(c.param("conv3.weight"));
    }

    static int[] kept(Graph g, String layer) {
        return Arrays.stream(g.metadata().get(FilterPruning.KEPT_KEY + layer).split(",")).mapToInt(Integer::parseInt).toArray();
    }

    /** Batch norms with non-trivial statistics, so a wrong slice would show. */
    static Graph withRandomBatchNorm(Graph g) {
        Random r = new Random(11);
        Graph.Builder b = g.toBuilder();
        for (Node n : g.nodes()) {
            if (n.layer() instanceof Layer.BatchNorm bn) {
                int c = bn.channels();
                b.param(n.param("gamma"), random(r, c, 0.5f, 1.5f));
                b.param(n.param("beta"), random(r, c, -0.5f, 0.5f));
                b.param(n.param("mean"), random(r, c, -0.2f, 0.2f));
                b.param(n.param("var"), random(r, c, 0.5f, 2f));
            } else if (n.layer() instanceof Layer.Conv2d || n.layer() instanceof Layer.Linear) {
                Tensor bias = g.param(n.param("bias"));
                b.param(n.param("bias"), random(r, bias.size(), -0.1f, 0.1f));
            }
        }
        return b.build();
    }

    private static Tensor random(Random r, int n, float lo, float hi) {
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = lo + r.nextFloat() * (hi - lo);
        }
        return new Tensor(new int[] {n}, d);
    }

    static float[] input(Graph g, long seed) {
        Random r = new Random(seed);
        float[] x = new float[g.inputShape().size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        return x;
    }

    private static void runs(Graph g) {
        float[] y = new ReferenceInterpreter(g).forward(input(g, 1));
        assertThat(y).hasSize(10);
    }

    /** For each named node, channel j of the pruned graph equals channel kept[j] of the original, exactly. */
    static void assertKeptChannelsUnchanged(Graph original, Graph pruned, int[] kept, String... nodes) {
        float[] x = input(original, 5);
        Map<String, float[]> a = new ReferenceInterpreter(original).forwardAll(x);
        Map<String, float[]> b = new ReferenceInterpreter(pruned).forwardAll(x);
        for (String n : nodes) {
            Shape so = original.shape(n);
            Shape sp = pruned.shape(n);
            assertThat(sp.c()).as(n).isEqualTo(kept.length);
            int plane = so.h() * so.w();
            for (int j = 0; j < kept.length; j++) {
                float[] want = Arrays.copyOfRange(a.get(n), kept[j] * plane, (kept[j] + 1) * plane);
                float[] got = Arrays.copyOfRange(b.get(n), j * plane, (j + 1) * plane);
                assertThat(got).as(n + " channel " + kept[j]).containsExactly(want);
            }
        }
    }
}
