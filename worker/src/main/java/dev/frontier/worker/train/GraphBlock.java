package dev.frontier.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Layer;
import dev.frontier.worker.model.Node;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The IR graph as one DJL block. It walks the nodes in order and calls DJL's functional ops, so any
 * topology the IR can express (residual adds, several consumers of one activation) runs without
 * mapping nodes onto nested DJL containers, and every DJL parameter carries the IR parameter's name.
 *
 * <p>Batch norm uses batch statistics and updates its running mean/var (PyTorch momentum 0.1) when
 * {@code training} is true, and the running statistics otherwise. The running statistics are
 * parameters that take no gradient, so the optimizer never touches them. A trailing Softmax is skipped
 * when {@link #logits} is set (training needs logits for the cross-entropy loss).
 */
public final class GraphBlock extends AbstractBlock {
    /** DJL's convention (fraction of the old running value kept); PyTorch's momentum 0.1. */
    static final float BN_MOMENTUM = 0.9f;
    /** Changed only by {@link BatchNormRecalibration}, which needs a cumulative average instead of the EMA. */
    private float bnMomentum = BN_MOMENTUM;
    private static final byte VERSION = 1;

    private final Graph graph;
    private final boolean logits;
    private final Map<String, Parameter> byIrName = new LinkedHashMap<>();

    public GraphBlock(Graph graph, boolean logits) {
        super(VERSION);
        this.graph = graph;
        this.logits = logits;
        for (Node n : graph.nodes()) {
            for (String suffix : n.layer().paramShapes().keySet()) {
                String name = n.param(suffix);
                Parameter p = Parameter.builder().setName(name).setType(type(suffix))
                        .optRequiresGrad(!suffix.equals("mean") && !suffix.equals("var")).build();
                byIrName.put(name, addParameter(p));
            }
        }
    }

    private static Parameter.Type type(String suffix) {
        return switch (suffix) {
            case "weight" -> Parameter.Type.WEIGHT;
            case "bias" -> Parameter.Type.BIAS;
            case "gamma" -> Parameter.Type.GAMMA;
            case "beta" -> Parameter.Type.BETA;
            case "mean" -> Parameter.Type.RUNNING_MEAN;
            case "var" -> Parameter.Type.RUNNING_VAR;
            default -> Parameter.Type.OTHER;
        };
    }

    public Graph graph() {
        return graph;
    }

    /** Fraction of the old running statistics kept by a training-mode forward (DJL's convention). */
    void bnMomentum(float keep) {
        this.bnMomentum = keep;
    }

    /** DJL parameters by IR parameter name, in the IR's order. */
    public Map<String, Parameter> irParameters() {
        return Collections.unmodifiableMap(byIrName);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray in = inputs.singletonOrThrow();
        long batch = in.getShape().get(0);
        Map<String, NDArray> acts = new HashMap<>();
        List<Node> nodes = graph.nodes();
        int last = nodes.size() - 1;
        if (logits && last > 0 && nodes.get(last).layer() instanceof Layer.Softmax) {
            last--;
        }
        NDArray y = in;
        for (int i = 0; i <= last; i++) {
            Node n = nodes.get(i);
            NDArray x = n.inputs().isEmpty() ? in : acts.get(n.inputs().get(0));
            Layer l = n.layer();
            if (l instanceof Layer.Input) {
                y = in;
            } else if (l instanceof Layer.Conv2d c) {
                NDArray w = value(ps, x, n.weightName(), training);
                NDArray bias = c.bias() ? value(ps, x, n.param("bias"), training) : null;
                int outPad = c.groups() == 1 ? channelPadding(c.outChannels()) : 0;
                if (c.groups() == 1) {
                    // PyTorch 2.7.1's oneDNN convolution computes wrong values for batches > 1 when a side has
                    // more than 16 channels and not a multiple of 16 (AVX-512 CPUs; GraphBlockTest), forward
                    // for the input side and in the backward pass for the output side. Zero channels up to the
                    // next multiple of 16 with zero weights compute the same function; extra outputs are cut.
                    int inPad = channelPadding(c.inChannels());
                    if (inPad > 0) {
                        var xs = x.getShape();
                        var ws = w.getShape();
                        x = x.concat(x.getManager().zeros(new Shape(xs.get(0), inPad, xs.get(2), xs.get(3))), 1);
                        w = w.concat(x.getManager().zeros(new Shape(ws.get(0), inPad, ws.get(2), ws.get(3))), 1);
                    }
                    if (outPad > 0) {
                        var ws = w.getShape();
                        w = w.concat(x.getManager().zeros(new Shape(outPad, ws.get(1), ws.get(2), ws.get(3))), 0);
                        bias = bias == null ? null : bias.concat(x.getManager().zeros(new Shape(outPad)), 0);
                    }
                }
                y = Conv2d.conv2d(x, w, bias,
                        new Shape(c.stride(), c.stride()), new Shape(c.padding(), c.padding()), new Shape(1, 1),
                        c.groups()).singletonOrThrow();
                if (outPad > 0) {
                    y = y.get(new ai.djl.ndarray.index.NDIndex(":, 0:" + c.outChannels()));
                }
            } else if (l instanceof Layer.Linear f) {
                NDArray flat = x.getShape().dimension() == 2 ? x : x.reshape(batch, -1);
                y = Linear.linear(flat, value(ps, x, n.weightName(), training),
                        f.bias() ? value(ps, x, n.param("bias"), training) : null).singletonOrThrow();
            } else if (l instanceof Layer.BatchNorm b) {
                // axis -1 is the PyTorch engine's direct path: normalize over dimension 1 (channels)
                y = x.getNDArrayInternal().batchNorm(x, value(ps, x, n.param("mean"), training),
                        value(ps, x, n.param("var"), training), value(ps, x, n.param("gamma"), training),
                        value(ps, x, n.param("beta"), training), -1, bnMomentum, b.eps(), training)
                        .singletonOrThrow();
            } else if (l instanceof Layer.Relu) {
                y = Activation.relu(x);
            } else if (l instanceof Layer.Relu6) {
                y = Activation.relu6(x);
            } else if (l instanceof Layer.MaxPool p) {
                y = Pool.maxPool2d(x, new Shape(p.kernel(), p.kernel()), new Shape(p.stride(), p.stride()),
                        new Shape(p.padding(), p.padding()), false);
            } else if (l instanceof Layer.AvgPool p) {
                y = Pool.avgPool2d(x, new Shape(p.kernel(), p.kernel()), new Shape(p.stride(), p.stride()),
                        new Shape(p.padding(), p.padding()), false, true);
            } else if (l instanceof Layer.GlobalAvgPool) {
                // mean over H and W directly: reshaping a pooled activation (batch > 1) mixed images up
                y = x.mean(new int[] {3}).mean(new int[] {2});
            } else if (l instanceof Layer.Add) {
                y = x.add(acts.get(n.inputs().get(1)));
            } else if (l instanceof Layer.Flatten) {
                y = x.reshape(batch, -1);
            } else if (l instanceof Layer.Softmax) {
                y = x.softmax(1);
            } else {
                throw new IllegalStateException("no DJL mapping for layer " + l.op());
            }
            acts.put(n.name(), y);
        }
        return new NDList(y);
    }

    /** Zero channels to add so oneDNN computes correctly (see the Conv2d branch of forwardInternal); 0 when fine. */
    static int channelPadding(int channels) {
        return channels > 16 && channels % 16 != 0 ? 16 - channels % 16 : 0;
    }

    private NDArray value(ParameterStore ps, NDArray like, String irName, boolean training) {
        return ps.getValue(byIrName.get(irName), like.getDevice(), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        dev.frontier.worker.model.Shape out = graph.shape(graph.output().name());
        return new Shape[] {out.isFlat() ? new Shape(batch, out.c()) : new Shape(batch, out.c(), out.h(), out.w())};
    }

    @Override
    public String toString() {
        return "GraphBlock(" + graph.nodes().size() + " nodes, " + byIrName.size() + " parameters)";
    }
}
