package dev.frontier.worker.compress;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * group of h*w features of each channel).
 *
 * <p>Residual adds tie channel spaces together: channel c of both inputs of an add is one channel.
 * So the layer's channels are followed through adds and back up the other branch to every conv or
 * linear producing that channel space (e.g. a ResNet stage's first conv and each block's last conv,
 * or a projection shortcut). Those producers form one group, ranked together (summed scores) and
 * pruned alike, so shapes stay consistent. A group that reaches the model input or output, a grouped
 * (non-depthwise) conv or a softmax cannot be pruned: {@link #unfitReason} says why.
 *
 * <p>Ranking: L2 norm of each filter, or with {@code criterion: bn-gamma} |gamma| of the batch norm
 * that directly follows (L2 when a producer has none). The kept original channel indices are recorded
 * in the metadata under {@code filter.kept.<layer>} for every producer of the group.
 */
public final class FilterPruning implements PruningScheme<PruneSpec.Filter> {
    public static final String KEPT_KEY = "filter.kept.";

    private enum Role { BATCH_NORM, PASS, DEPTHWISE, CONV_INPUT, LINEAR_INPUT }

    /** A node the removed channels reach; {@code group} = consecutive values per channel there. */
    private record Reach(Node node, Role role, int group) {
    }

    /** Producers of one channel space and every other node that must change with them. */
    private record Plan(List<Node> producers, List<Reach> reached) {
    }

    @Override
    public String unfitReason(Graph g, Node n) {
        String own = ownReason(n);
        if (own != null) {
            return own;
        }
        List<String> problems = new ArrayList<>();
        plan(g, n, problems);
        return problems.isEmpty() ? null : problems.get(0);
    }

    private static String ownReason(Node n) {
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
        return null;
    }

    /**
     * The layers pruned together with {@code n} (itself first): the producers of its channel space
     * once residual adds are followed. Empty when it cannot be filter-pruned.
     */
    public static List<String> group(Graph g, Node n) {
        List<String> problems = new ArrayList<>();
        Plan p = ownReason(n) == null ? plan(g, n, problems) : null;
        return p == null || !problems.isEmpty() ? List.of() : p.producers().stream().map(Node::name).toList();
    }

    private static Plan plan(Graph g, Node start, List<String> problems) {
        Map<String, Node> producers = new LinkedHashMap<>();
        List<Reach> reached = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Deque<Node> pending = new ArrayDeque<>();
        Deque<Reach> todo = new ArrayDeque<>();
        producers.put(start.name(), start);
        seen.add(start.name());
        pending.add(start);
        String outputName = g.output().name();
        while (!pending.isEmpty() && problems.isEmpty()) {
            Node p = pending.poll();
            if (p.name().equals(outputName)) {
                problems.add(start.name() + (p == start ? "" : " (with " + p.name() + ")")
                        + " produces the model output; removing its channels would change the outputs");
            }
            for (Node c : g.consumers(p.name())) {
                todo.add(new Reach(c, null, 1));
            }
            while (!todo.isEmpty() && problems.isEmpty()) {
                Reach r = todo.poll();
                Node n = r.node();
                if (!seen.add(n.name())) {
                    if (producers.containsKey(n.name())) {
                        problems.add(readsAndWrites(start, n));
                    }
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
                } else if (l instanceof Layer.Add && group == 1) {
                    role = Role.PASS;
                    for (String in : n.inputs()) {
                        upstream(g, g.node(in), start, producers, reached, seen, pending, todo, problems);
                    }
                } else {
                    problems.add(start.name() + "'s channels reach " + n.name() + " (" + l.op()
                            + "), which cannot lose channels");
                    continue;
                }
                reached.add(new Reach(n, role, group));
                if (role == Role.BATCH_NORM || role == Role.PASS || role == Role.DEPTHWISE) {
                    if (n.name().equals(outputName)) {
                        problems.add(start.name() + "'s channels reach the model output through " + n.name()
                                + "; removing them would change the outputs");
                    }
                    for (Node c : g.consumers(n.name())) {
                        todo.add(new Reach(c, null, group));
                    }
                }
            }
        }
        return new Plan(new ArrayList<>(producers.values()), reached);
    }

    /** Walks up from an input of a residual add to the layers that produce its channels. */
    private static void upstream(Graph g, Node m, Node start, Map<String, Node> producers, List<Reach> reached,
                                 Set<String> seen, Deque<Node> pending, Deque<Reach> todo, List<String> problems) {
        Layer l = m.layer();
        boolean producerKind = (l instanceof Layer.Conv2d c && c.groups() == 1) || l instanceof Layer.Linear;
        if (seen.contains(m.name())) {
            if (producerKind && !producers.containsKey(m.name())) {
                problems.add(readsAndWrites(start, m));
            }
            return;
        }
        if (producerKind) {
            seen.add(m.name());
            producers.put(m.name(), m);
            pending.add(m);
            return;
        }
        Role role;
        if (l instanceof Layer.BatchNorm) {
            role = Role.BATCH_NORM;
        } else if (l instanceof Layer.Relu || l instanceof Layer.Relu6 || l instanceof Layer.MaxPool
                || l instanceof Layer.AvgPool || l instanceof Layer.Add) {
            role = Role.PASS;
        } else if (l instanceof Layer.Conv2d c && c.isDepthwise()) {
            role = Role.DEPTHWISE;
        } else {
            problems.add(start.name() + "'s channels are tied through a residual add to " + m.name() + " ("
                    + l.op() + "), which cannot lose channels");
            return;
        }
        seen.add(m.name());
        reached.add(new Reach(m, role, 1));
        for (Node c : g.consumers(m.name())) {
            todo.add(new Reach(c, null, 1));
        }
        for (String in : m.inputs()) {
            upstream(g, g.node(in), start, producers, reached, seen, pending, todo, problems);
        }
    }

    private static String readsAndWrites(Node start, Node n) {
        return start.name() + "'s channels are both read and produced by " + n.name()
                + " (through a residual add); pruning them would change its input and output alike, which is not supported";
    }

    @Override
    public Graph apply(Graph g, Node n, PruneSpec.Filter spec) {
        String reason = unfitReason(g, n);
        if (reason != null) {
            throw new InvalidConfigException("filter cannot prune " + n.name() + ": " + reason);
        }
        Plan plan = plan(g, n, new ArrayList<>());
        int channels = g.param(n.weightName()).dim(0);
        return prune(g, plan, keptChannels(g, plan.producers(), spec, channels));
    }

    /** Sorted indices of the channels that stay, ranked over all producers of the group. */
    private static int[] keptChannels(Graph g, List<Node> producers, PruneSpec.Filter spec, int channels) {
        double[] score = spec.criterion() == PruneSpec.FilterCriterion.BN_GAMMA ? gammaScores(g, producers, channels) : null;
        if (score == null) {
            score = new double[channels];
            for (Node p : producers) {
                Tensor w = g.param(p.weightName());
                double[] e = MaskPruning.groupEnergy(w.data(), w.size() / channels);
                for (int c = 0; c < channels; c++) {
                    score[c] += e[c];
                }
            }
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

    /** Summed |gamma| of the batch norm right after each producer; null if one has none. */
    private static double[] gammaScores(Graph g, List<Node> producers, int channels) {
        double[] score = new double[channels];
        for (Node p : producers) {
            List<Node> cs = g.consumers(p.name());
            if (cs.size() != 1 || !(cs.get(0).layer() instanceof Layer.BatchNorm)) {
                return null;
            }
            float[] gamma = g.param(cs.get(0).param("gamma")).data();
            for (int c = 0; c < channels; c++) {
                score[c] += Math.abs(gamma[c]);
            }
        }
        return score;
    }

    /**
     * Keeps exactly the given output channels of {@code n} (sorted, distinct), and of every layer tied
     * to it by residual adds, and follows them downstream.
     */
    public static Graph prune(Graph g, Node n, int[] kept) {
        List<String> problems = new ArrayList<>();
        String own = ownReason(n);
        Plan plan = own == null ? plan(g, n, problems) : null;
        if (own != null || !problems.isEmpty()) {
            throw new InvalidConfigException("filter cannot prune " + n.name() + ": " + (own != null ? own : problems.get(0)));
        }
        return prune(g, plan, kept);
    }

    private static Graph prune(Graph g, Plan plan, int[] kept) {
        int k = kept.length;
        Graph.Builder b = g.toBuilder();
        StringJoiner j = new StringJoiner(",");
        for (int c : kept) {
            j.add(Integer.toString(c));
        }
        for (Node n : plan.producers()) {
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
            b.metadata(KEPT_KEY + n.name(), j.toString());
        }
        for (Reach r : plan.reached()) {
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
