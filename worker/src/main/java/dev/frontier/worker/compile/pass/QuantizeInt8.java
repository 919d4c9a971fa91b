package dev.frontier.worker.compile.pass;

import dev.frontier.worker.compile.kernel.LinearKernel;
import dev.frontier.worker.compile.op.ConvOps;
import dev.frontier.worker.compile.op.Int8ConvOps;
import dev.frontier.worker.compile.op.LinearOps;
import dev.frontier.worker.compile.op.Op;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Layer;
import dev.frontier.worker.model.Node;
import dev.frontier.worker.model.QuantizedTensor;

/**
 * IR layers with symmetric per-row int8 codes -> integer ops. Linear: the codes are kept as bytes (rows
 * padded with zeros to the vector byte length) with their row scales; the input is quantized per call.
 * Convolution (dense, pattern/connectivity sparse, or direct: strided, grouped, depthwise): codes as bytes with one scale
 * per output channel, and the input activation scale calibrated for this layer
 * ({@code act_scale.<layer>} in the model metadata) when there is one.
 */
public final class QuantizeInt8 {
    private QuantizeInt8() {
    }

    public static Op conv(Graph g, Node n, Op.Header h, Layer.Conv2d c, QuantizedTensor q, float[] bias,
                          FormatSelector.Format format) {
        float inputScale = calibratedScale(g, n.name());
        if (format == FormatSelector.Format.DIRECT) {
            return new Int8ConvOps.Direct(h, c.inChannels(), c.outChannels(), c.groups(), c.kernelH(), c.kernelW(),
                    c.stride(), c.padding(), q.values().clone(), q.scales().clone(), inputScale, bias);
        }
        if (format == FormatSelector.Format.DENSE) {
            return new Int8ConvOps.Dense(h, c.inChannels(), c.outChannels(), c.kernelH(), c.padding(), q.values().clone(),
                    q.scales().clone(), inputScale, bias);
        }
        byte[] v = q.values();
        float[] codes = new float[v.length];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = v[i];
        }
        ConvOps.Sparse packed = PackPatternWeights.pack(h, c.inChannels(), c.outChannels(), c.kernelH(), c.padding(),
                codes, bias, g.mask(n.weightName()));
        return new Int8ConvOps.Sparse(packed, q.scales().clone(), inputScale);
    }

    /** The calibrated activation scale of a layer's input, or 0 (quantize per call) when the model has none. */
    static float calibratedScale(Graph g, String layer) {
        String s = g.metadata().get(Graph.ACTIVATION_SCALE_KEY + layer);
        if (s == null) {
            return 0f;
        }
        try {
            float v = Float.parseFloat(s);
            return v > 0 && Float.isFinite(v) ? v : 0f;
        } catch (NumberFormatException e) {
            return 0f;
        }
    }

    public static LinearOps.Int8 pack(Op.Header h, int in, int out, QuantizedTensor q, float[] bias) {
        int np = LinearKernel.paddedLength(in);
        byte[] w = new byte[out * np];
        byte[] v = q.values();
        for (int r = 0; r < out; r++) {
            System.arraycopy(v, r * in, w, r * np, in);
        }
        return new LinearOps.Int8(h, in, out, np, w, q.scales().clone(), bias);
    }
}
