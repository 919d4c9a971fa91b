package dev.frontier.worker.compile.pass;

import dev.frontier.worker.compile.op.ConvOps;
import dev.frontier.worker.compile.op.LinearOps;
import dev.frontier.worker.compile.op.Op;
import dev.frontier.worker.compile.op.SimpleOps;
import dev.frontier.worker.compile.kernel.Vec;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Layer;
import dev.frontier.worker.model.Node;
import dev.frontier.worker.model.QuantizedTensor;

import java.util.ArrayList;
import java.util.List;

/**
 * IR -> ops: one op per node (input excluded), each in the format {@link FormatSelector} picks. Value
 * names are node names. Batch norms still present here could not be folded and become affine ops.
 */
public final class Lowering {
    private Lowering() {
    }

    public static List<Op> lower(Graph g) {
        List<Op> ops = new ArrayList<>();
        for (Node n : g.nodes()) {
            Op.Header h = new Op.Header(n.name(), n.inputs(), n.name(), g.shape(n.name()));
            Layer l = n.layer();
            if (l instanceof Layer.Input) {
                continue;
            } else if (l instanceof Layer.Conv2d c) {
                ops.add(conv(g, n, h, c));
            } else if (l instanceof Layer.Linear f) {
                ops.add(linear(g, n, h, f));
            } else if (l instanceof Layer.BatchNorm bn) {
                float[] gamma = g.param(n.param("gamma")).data();
                float[] beta = g.param(n.param("beta")).data();
                float[] mean = g.param(n.param("mean")).data();
                float[] var = g.param(n.param("var")).data();
                float[] scale = new float[bn.channels()];
                float[] shift = new float[bn.channels()];
                for (int c = 0; c < scale.length; c++) {
                    scale[c] = (float) (gamma[c] / Math.sqrt(var[c] + bn.eps()));
                    shift[c] = beta[c] - mean[c] * scale[c];
                }
                ops.add(new SimpleOps.Affine(h, scale, shift));
            } else if (l instanceof Layer.Relu) {
                ops.add(new SimpleOps.Act(h, Vec.RELU));
            } else if (l instanceof Layer.Relu6) {
                ops.add(new SimpleOps.Act(h, Vec.RELU6));
            } else if (l instanceof Layer.MaxPool p) {
                ops.add(new SimpleOps.Pool(h, true, p.kernel(), p.stride(), p.padding()));
            } else if (l instanceof Layer.AvgPool p) {
                ops.add(new SimpleOps.Pool(h, false, p.kernel(), p.stride(), p.padding()));
            } else if (l instanceof Layer.GlobalAvgPool) {
                ops.add(new SimpleOps.GlobalPool(h));
            } else if (l instanceof Layer.Add) {
                ops.add(new SimpleOps.Add(h));
            } else if (l instanceof Layer.Flatten) {
                ops.add(new SimpleOps.Flatten(h));
            } else if (l instanceof Layer.Softmax) {
                ops.add(new SimpleOps.Softmax(h));
            } else {
                throw new IllegalArgumentException("cannot compile layer " + n.name() + " (" + l.op() + ")");
            }
        }
        return ops;
    }

    private static float[] bias(Graph g, Node n, boolean has, int size) {
        return has ? g.param(n.param("bias")).data().clone() : new float[size];
    }

    private static Op conv(Graph g, Node n, Op.Header h, Layer.Conv2d c) {
        float[] w = g.param(n.weightName()).data().clone();
        float[] b = bias(g, n, c.bias(), c.outChannels());
        FormatSelector.Format format = FormatSelector.conv(g, n);
        QuantizedTensor q = g.quantized(n.weightName());
        if (FormatSelector.isIntegerKernelable(q)) {
            return QuantizeInt8.conv(g, n, h, c, q, b, format);
        }
        return switch (format) {
            case DENSE -> new ConvOps.Dense(h, c.inChannels(), c.outChannels(), c.kernelH(), c.padding(), w, b);
            case SPARSE_CONV -> PackPatternWeights.pack(h, c.inChannels(), c.outChannels(), c.kernelH(), c.padding(), w,
                    b, g.mask(n.weightName()));
            default -> new ConvOps.Direct(h, c.inChannels(), c.outChannels(), c.groups(), c.kernelH(), c.kernelW(),
                    c.stride(), c.padding(), w, b);
        };
    }

    private static Op linear(Graph g, Node n, Op.Header h, Layer.Linear f) {
        float[] w = g.param(n.weightName()).data().clone();
        float[] b = bias(g, n, f.bias(), f.outFeatures());
        return switch (FormatSelector.linear(g, n)) {
            case INT8 -> QuantizeInt8.pack(h, f.inFeatures(), f.outFeatures(), g.quantized(n.weightName()), b);
            case BLOCK -> PackBlockSparse.pack(h, f.inFeatures(), f.outFeatures(), w, b, g.mask(n.weightName()),
                    PackBlockSparse.rowsPerBlock(g.mask(n.weightName()), f.outFeatures(), f.inFeatures()));
            default -> new LinearOps.Dense(h, f.inFeatures(), f.outFeatures(), w, b);
        };
    }
}
