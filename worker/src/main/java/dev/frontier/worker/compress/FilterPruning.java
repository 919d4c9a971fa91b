package dev.frontier.worker.compress;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Layer;
import dev.frontier.worker.model.Mask;
import dev.frontier.worker.model.Node;
import dev.frontier.worker.model.QuantizedTensor;
import dev.frontier.worker.model.Tensor;

/**
 * Filter (output-channel) pruning: removes the round(rate * out) weakest output channels of a conv
 * or linear layer and everything that only existed to carry them, giving a smaller dense graph.
 *
 * <p>The removed channels are followed downstream: batch norms shrink, element-wise layers and pools
 * pass them on, depthwise convolutions lose the same channels (they follow their input), and the
 * first regular conv or linear that reads them loses the matching inputs (after a flatten, the whole
 * group of h*w features of each channel). A layer whose channels reach a residual add, a grouped
 * (non-depthwise) conv, a softmax or the model output is unfit: pruning it would need the other
 * branch pruned the same way, or would change the model's outputs; {@link #unfitReason} says so and
 * the compressor skips it with that note.
 *
 * <p>Ranking: L2 norm of each filter, or with {@code criterion: bn-gamma} |gamma| of the batch norm
 * that directly follows (L2 when there is none). The kept original channel indices are recorded in
 * the metadata under {@code filter.kept.<layer>}.
 */
public final class FilterPruning implements PruningScheme<PruneSpec.Filter> {
    public static final String KEPT_KEY = "filter.kept.";

    private enum Role { BATCH_NORM, PASS, DEPTHWISE, CONV_INPUT, LINEAR_INPUT }

    /** A node the removed channels reach; {@code group} = consecutive values per channel there. */
    private record Reach(Node node, Role role, int group) {
    }

    @Override
    public String unfitReason(Graph g, Node n) {
        if (n.layer() instanceof Layer.Conv2d c) {
            if (c.isDepthwise()) {
                return n.name() + " is a depthwise convolution: its channels follow its input, so prune the layer that feeds it";
            }
            if (c.groups() != 1) {
                return n.name() + " is a grouped convolution (groups=" + c.groups() + "); filter pruning needs groups=1";
            }
            if (c.outChannels() < 2) {
                return n.name() + " has a single output channel";
            }
        } else if (n.layer() instanceof Layer.Linear f) {
            if (f.outFeatures() < 2) {
                return n.name() + " has a single output";
            }
        } else {
            return n.name() + " is a " + n.layer().op() + " layer, which has no filters";
        }
        List<String> problems = new ArrayList<>();
        reach(g, n, problems);
        return problems.isEmpty() ? null : problems.get(0);
    }

    /** Follows {@code producer}'s channels downstream, collecting what must change (or why it cannot). */
    private static List<Reach> reach(Graph g, Node producer, List<String> problems) {
        List<Reach> out = new ArrayList<>();
        Deque<Reach> todo = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        String outputName = g.output().name();
        if (producer.name().equals(outputName)) {
            problems.add(producer.name() + " produces the model output; removing its channels would change the outputs");
            return out;
        }
        for (Node c : g.consumers(producer.name())) {
            todo.add(new Reach(c, null, 1));
        }
        while (!todo.isEmpty()) {
            Reach r = todo.poll();
            Node n = r.node();
            if (!seen.add(n.name())) {
                continue;
            }
            Layer l = n.layer();
            Role role;
            int group = r.group();
            if (l instanceof Layer.BatchNorm) {
                role = Role.BATCH_NORM;
            } else if (l instanceof Layer.Relu || l instanceof Layer.Relu6 || l instanceof Layer.MaxPool
                    || l instanceof Layer.AvgPool || l instanceof Layer.GlobalAvgPool) {
                role = Role.PASS;
            } else if (l instanceof Layer.Flatten) {
                role = Role.PASS;
                var in = g.shape(n.inputs().get(0));
                group = group * in.h() * in.w();
            } else if (l instanceof Layer.Conv2d c && c.isDepthwise() && group == 1) {
                role = Role.DEPTHWISE;
            } else if (l instanceof Layer.Conv2d c && c.groups() == 1) {
                role = Role.CONV_INPUT;
            } else if (l instanceof Layer.Linear) {
                role = Role.LINEAR_INPUT;
            } else if (l instanceof Layer.Add) {
                problems.add(producer.name() + "'s channels reach the residual add " + n.name()
                        + "; both branches would have to be pruned alike, so it is left dense");
                continue;
            } else {
                problems.add(producer.name() + "'s channels reach " + n.name() + " (" + l.op()
                        + "), which cannot lose channels");
                continue;
            }
            out.add(new Reach(n, role, group));
            if (role == Role.BATCH_NORM || role == Role.PASS || role == Role.DEPTHWISE) {
                if (n.name().equals(outputName)) {
                    problems.add(producer.name() + "'s channels reach the model output through " + n.name()
                            + "; removing them would change the outputs");
                }
                for (Node c : g.consumers(n.name())) {
                    todo.add(new Reach(c, null, group));
                }
            }
        }
        return out;
    }

    @Override
    public Graph apply(Graph g, Node n, PruneSpec.Filter spec) {
        String reason = unfitReason(g, n);
        if (reason != null) {
            throw new InvalidConfigException("filter cannot prune " + n.name() + ": " + reason);
        }
        int channels = g.param(n.weightName()).dim(0);
        int[] kept = keptChannels(g, n, spec, channels);
        return prune(g, n, kept);
    }

    /** Sorted indices of the channels that stay. */
    static int[] keptChannels(Graph g, Node n, PruneSpec.Filter spec, int channels) {
        double[] score = null;
        if (spec.criterion() == PruneSpec.FilterCriterion.BN_GAMMA) {
            List<Node> cs = g.consumers(n.name());
            if (cs.size() == 1 && cs.get(0).layer() instanceof Layer.BatchNorm) {
                float[] gamma = g.param(cs.get(0).param("gamma")).data();
                score = new double[channels];
                for (int c = 0; c < channels; c++) {
                    score[c] = Math.abs(gamma[c]);
                }
            }
        }
        if (score == null) {
            Tensor w = g.param(n.weightName());
            score = MaskPruning.groupEnergy(w.data(), w.size() / channels);
        }
        int remove = Math.min(channels - 1, MaskPruning.removeCount(spec.rate(), channels));
        boolean[] drop = new boolean[channels];
        for (int c : MaskPruning.smallest(score, remove)) {
            drop[c] = true;
        }
        int[] kept = new int[channels - remove];
        for (int c = 0, j = 0; c < channels; c++) {
            if (!drop[c]) {
                kept[j++] = c;
            }
        }
        return kept;
    }

    /** Keeps exactly the given output channels of {@code n} (sorted, distinct) and follows them downstream. */
    public static Graph prune(Graph g, Node n, int[] kept) {
        List<String> problems = new ArrayList<>();
        List<Reach> reached = reach(g, n, problems);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException("filter cannot prune " + n.name() + ": " + problems.get(0));
        }
        int k = kept.length;
        Graph.Builder b = g.toBuilder();
        slice(g, b, n.weightName(), 0, kept, 1);
        if (n.layer() instanceof Layer.Conv2d c) {
            if (c.bias()) {
                slice(g, b, n.param("bias"), 0, kept, 1);
            }
            b.replaceNode(new Node(n.name(), new Layer.Conv2d(c.inChannels(), k, c.kernelH(), c.kernelW(), c.stride(),
                    c.padding(), 1, c.bias()), n.inputs()));
        } else {
            Layer.Linear f = (Layer.Linear) n.layer();
            if (f.bias()) {
                slice(g, b, n.param("bias"), 0, kept, 1);
            }
            b.replaceNode(new Node(n.name(), new Layer.Linear(f.inFeatures(), k, f.bias()), n.inputs()));
        }
        for (Reach r : reached) {
            Node m = r.node();
            int gs = r.group();
            switch (r.role()) {
                case BATCH_NORM -> {
                    Layer.BatchNorm bn = (Layer.BatchNorm) m.layer();
                    for (String p : List.of("gamma", "beta", "mean", "var")) {
                        slice(g, b, m.param(p), 0, kept, gs);
                    }
                    b.replaceNode(new Node(m.name(), new Layer.BatchNorm(k * gs, bn.eps()), m.inputs()));
                }
                case DEPTHWISE -> {
                    Layer.Conv2d c = (Layer.Conv2d) m.layer();
                    slice(g, b, m.weightName(), 0, kept, gs);
                    if (c.bias()) {
                        slice(g, b, m.param("bias"), 0, kept, gs);
                    }
                    int ch = k * gs;
                    b.replaceNode(new Node(m.name(), new Layer.Conv2d(ch, ch, c.kernelH(), c.kernelW(), c.stride(),
                            c.padding(), ch, c.bias()), m.inputs()));
                }
                case CONV_INPUT -> {
                    Layer.Conv2d c = (Layer.Conv2d) m.layer();
                    slice(g, b, m.weightName(), 1, kept, gs);
                    b.replaceNode(new Node(m.name(), new Layer.Conv2d(k * gs, c.outChannels(), c.kernelH(), c.kernelW(),
                            c.stride(), c.padding(), 1, c.bias()), m.inputs()));
                }
                case LINEAR_INPUT -> {
                    Layer.Linear f = (Layer.Linear) m.layer();
                    slice(g, b, m.weightName(), 1, kept, gs);
                    b.replaceNode(new Node(m.name(), new Layer.Linear(k * gs, f.outFeatures(), f.bias()), m.inputs()));
                }
                case PASS -> {
                }
            }
        }
        StringJoiner j = new StringJoiner(",");
        for (int c : kept) {
            j.add(Integer.toString(c));
        }
        b.metadata(KEPT_KEY + n.name(), j.toString());
        return b.build();
    }

    /** Positions kept when axis {@code axis} keeps channels {@code kept}, each {@code group} wide. */
    private static int[] positions(int[] shape, int axis, int[] kept, int group) {
        int outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= shape[i];
        }
        int inner = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        int dim = shape[axis];
        int[] idx = new int[outer * kept.length * group * inner];
        int p = 0;
        for (int o = 0; o < outer; o++) {
            for (int c : kept) {
                for (int gi = 0; gi < group; gi++) {
                    int base = (o * dim + c * group + gi) * inner;
                    for (int i = 0; i < inner; i++) {
                        idx[p++] = base + i;
                    }
                }
            }
        }
        return idx;
    }

    /** Slices a parameter, and its mask and integer copy if it has them, along one axis. */
    private static void slice(Graph g, Graph.Builder b, String name, int axis, int[] kept, int group) {
        Tensor t = g.param(name);
        int[] shape = t.shape();
        int[] idx = positions(shape, axis, kept, group);
        int[] newShape = shape.clone();
        newShape[axis] = kept.length * group;
        float[] d = new float[idx.length];
        for (int i = 0; i < idx.length; i++) {
            d[i] = t.data()[idx[i]];
        }
        b.param(name, new Tensor(newShape, d));
        Mask m = g.mask(name);
        if (m != null) {
            boolean[] keep = new boolean[idx.length];
            for (int i = 0; i < idx.length; i++) {
                keep[i] = m.kept(idx[i]);
            }
            b.mask(name, new Mask(newShape, keep));
        }
        QuantizedTensor q = g.quantized(name);
        if (q != null) {
            byte[] v = new byte[idx.length];
            for (int i = 0; i < idx.length; i++) {
                v[i] = q.values()[idx[i]];
            }
            float[] scales = q.scales();
            boolean[] p2 = q.rowPowerOfTwo();
            if (axis == 0) {
                int[] rows = positions(new int[] {shape[0]}, 0, kept, group);
                scales = new float[rows.length];
                p2 = new boolean[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    scales[i] = q.scales()[rows[i]];
                    p2[i] = q.rowPowerOfTwo()[rows[i]];
                }
            }
            b.quantized(name, new QuantizedTensor(q.bits(), q.scheme(), newShape, v, scales.clone(), p2.clone()));
        }
    }
}
