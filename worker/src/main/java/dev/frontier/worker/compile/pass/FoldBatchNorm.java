package dev.frontier.worker.compile.pass;

import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Layer;
import dev.frontier.worker.model.Node;
import dev.frontier.worker.model.QuantizedTensor;
import dev.frontier.worker.model.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * IR -> IR: a batch norm whose only input is a conv or linear that nothing else reads is folded into
 * that layer's weights and bias (w' = w * s, b' = (b - mean) * s + beta, s = gamma / sqrt(var + eps)).
 * Masks survive unchanged (a zero times s is zero); integer weights keep their codes and their row
 * scales are multiplied by s (every scheme decodes linearly in the scale).
 */
public final class FoldBatchNorm {
    private FoldBatchNorm() {
    }

    public static Graph apply(Graph g) {
        Graph.Builder b = g.toBuilder();
        Map<String, String> rename = new HashMap<>();
        Map<String, Node> replaced = new HashMap<>();
        List<String> removed = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (!(n.layer() instanceof Layer.BatchNorm bn) || n == g.output()) {
                continue;
            }
            Node p = g.node(n.inputs().get(0));
            boolean foldable = p.layer() instanceof Layer.Conv2d || p.layer() instanceof Layer.Linear;
            if (!foldable || g.consumers(p.name()).size() != 1 || replaced.containsKey(p.name())) {
                continue;
            }
            float[] gamma = g.param(n.param("gamma")).data();
            float[] beta = g.param(n.param("beta")).data();
            float[] mean = g.param(n.param("mean")).data();
            float[] var = g.param(n.param("var")).data();
            int channels = bn.channels();
            float[] s = new float[channels];
            for (int c = 0; c < channels; c++) {
                s[c] = (float) (gamma[c] / Math.sqrt(var[c] + bn.eps()));
            }
            Tensor w = g.param(p.weightName());
            float[] wd = w.data().clone();
            int per = wd.length / channels;
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < per; i++) {
                    wd[c * per + i] *= s[c];
                }
            }
            boolean hadBias = p.layer() instanceof Layer.Conv2d c2 ? c2.bias() : ((Layer.Linear) p.layer()).bias();
            float[] bias = hadBias ? g.param(p.param("bias")).data() : new float[channels];
            float[] nb = new float[channels];
            for (int c = 0; c < channels; c++) {
                nb[c] = (bias[c] - mean[c]) * s[c] + beta[c];
            }
            Layer layer = p.layer() instanceof Layer.Conv2d c2
                    ? new Layer.Conv2d(c2.inChannels(), c2.outChannels(), c2.kernelH(), c2.kernelW(), c2.stride(),
                    c2.padding(), c2.groups(), true)
                    : new Layer.Linear(((Layer.Linear) p.layer()).inFeatures(), channels, true);
            replaced.put(p.name(), new Node(p.name(), layer, p.inputs()));
            b.param(p.weightName(), new Tensor(w.shape(), wd)).param(p.param("bias"), new Tensor(new int[] {channels}, nb));
            QuantizedTensor q = g.quantized(p.weightName());
            if (q != null) {
                float[] sc = q.scales().clone();
                for (int c = 0; c < channels; c++) {
                    sc[c] *= s[c];
                }
                b.quantized(p.weightName(), new QuantizedTensor(q.bits(), q.scheme(), q.shape(), q.values(), sc,
                        q.rowPowerOfTwo()));
            }
            for (String suffix : bn.paramShapes().keySet()) {
                b.removeParam(n.param(suffix));
            }
            rename.put(n.name(), p.name());
            removed.add(n.name());
        }
        if (removed.isEmpty()) {
            return g;
        }
        List<Node> nodes = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (removed.contains(n.name())) {
                continue;
            }
            Node base = replaced.getOrDefault(n.name(), n);
            List<String> in = base.inputs().stream().map(i -> rename.getOrDefault(i, i)).toList();
            nodes.add(new Node(base.name(), base.layer(), in));
        }
        return b.nodes(nodes).build();
    }
}
