package dev.frontier.worker.compile.nativ;

import dev.frontier.worker.compile.op.Bin;
import dev.frontier.worker.compile.op.Op;
import dev.frontier.worker.model.Shape;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The ops of a compiled plan as plain data for the C generator. They are read back through the
 * artifact codec ({@link Op#write}): the codec is the op's public contract, so the native backend sees
 * exactly the weights the JVM artifact ships, and the op classes keep their fields private.
 */
final class NativeOps {
    private NativeOps() {
    }

    /** Fields every op has: activation code 0 none, 1 relu, 2 relu6 (as {@code Vec}). */
    record Head(String kind, String name, List<String> inputs, String output, Shape shape, int act) {
        String input() {
            return inputs.get(0);
        }
    }

    /** Any convolution in canonical form: weights [cout][cin/groups][kh][kw]. */
    record Conv(Head h, int cin, int cout, int groups, int kh, int kw, int stride, int padding, float[] w,
                float[] bias, Sparsity sparse) {
        boolean same3x3Like() {
            return groups == 1 && stride == 1 && kh == kw && padding == (kh - 1) / 2 && kh % 2 == 1;
        }

        long keptKernels() {
            if (sparse == null) {
                return (long) cin / groups * cout;
            }
            return sparse.kernelIc.length;
        }
    }

    /** The compact pattern/connectivity form, kept so the generator can walk kept kernels only. */
    record Sparsity(int[] patterns, int[] order, int[] ocGroups, int[] groupPattern, int[] groupKernels,
                    int[] kernelIc, float[] weights) {
    }

    /** Dense linear, weights [out][in] (block-sparse ones arrive expanded, zeros included). */
    record Linear(Head h, int in, int out, float[] w, float[] bias) {
    }

    /**
     * Int8 "same" stride-1 convolution (dense, or pattern/connectivity expanded to codes with zeros):
     * codes [cout][cin][k*k], per-channel weight scales, the calibrated input scale (<= 0: per call).
     */
    record Int8Conv(Head h, int cin, int cout, int k, int pad, byte[] codes, float[] weightScale, float inputScale,
                    float[] bias, boolean sparse) {
    }

    /** Int8 linear: rows of {@code padded} codes, per-row scales; the input is quantized per call. */
    record Int8Linear(Head h, int in, int out, int padded, byte[] w, float[] scales, float[] bias) {
    }

    record Pool(Head h, boolean max, int k, int stride, int pad) {
    }

    record Affine(Head h, float[] scale, float[] shift) {
    }

    /** add, flatten, softmax, globalpool, activation (code in {@code Head.act}). */
    record Simple(Head h) {
    }

    static List<Object> read(List<Op> ops) {
        List<Object> out = new ArrayList<>();
        for (Op op : ops) {
            out.add(read(op));
        }
        return out;
    }

    static Object read(Op op) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        op.writeBodyTo(new Bin.Out(new DataOutputStream(bytes)));
        Bin.In in = new Bin.In(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        // the JVM kernel variant and parallel flag are not read: the native backend chooses its own kernels
        String kind = op.kind();
        String name = op.name();
        List<String> inputs = op.inputs();
        String output = op.output();
        Shape shape = op.outShape();
        Head h = new Head(kind, name, inputs, output, shape, op.activation().ordinal());
        return switch (kind) {
            case "conv-dense" -> dense(h, in);
            case "conv-sparse" -> sparse(h, in);
            case "conv-direct" -> new Conv(h, in.i(), in.i(), in.i(), in.i(), in.i(), in.i(), in.i(), in.floats(),
                    in.floats(), null);
            case "linear-dense" -> new Linear(h, in.i(), in.i(), in.floats(), in.floats());
            case "linear-block" -> block(h, in);
            case "conv-int8-dense" -> new Int8Conv(h, in.i(), in.i(), in.i(), in.i(), in.bytes(), in.floats(), in.f(),
                    in.floats(), false);
            case "conv-int8-sparse" -> int8Sparse(h, in);
            case "linear-int8" -> new Int8Linear(h, in.i(), in.i(), in.i(), in.bytes(), in.floats(), in.floats());
            case "pool" -> new Pool(h, in.i() != 0, in.i(), in.i(), in.i());
            case "affine" -> new Affine(h, in.floats(), in.floats());
            case "activation" -> new Simple(new Head(kind, name, inputs, output, shape, in.i()));
            case "add", "flatten", "softmax", "globalpool" -> new Simple(h);
            default -> throw new UnsupportedOperationException("the native backend cannot generate op '" + name
                    + "' of kind " + kind + " yet");
        };
    }

    private static Conv dense(Head h, Bin.In in) {
        int cin = in.i();
        int cout = in.i();
        int k = in.i();
        int pad = in.i();
        return new Conv(h, cin, cout, 1, k, k, 1, pad, in.floats(), in.floats(), null);
    }

    private static Conv sparse(Head h, Bin.In in) {
        int cin = in.i();
        int cout = in.i();
        int k = in.i();
        int pad = in.i();
        Sparsity s = new Sparsity(in.ints(), in.ints(), in.ints(), in.ints(), in.ints(), in.ints(), in.floats());
        float[] bias = in.floats();
        return new Conv(h, cin, cout, 1, k, k, 1, pad, expand(s, cin, cout, k * k), bias, s);
    }

    private static Int8Conv int8Sparse(Head h, Bin.In in) {
        int cin = in.i();
        int cout = in.i();
        int k = in.i();
        int pad = in.i();
        int[][] idx = {in.ints(), in.ints(), in.ints(), in.ints(), in.ints(), in.ints()};
        byte[] codes = in.bytes();
        float[] values = new float[codes.length];
        for (int i = 0; i < codes.length; i++) {
            values[i] = codes[i];
        }
        float[] dense = expand(new Sparsity(idx[0], idx[1], idx[2], idx[3], idx[4], idx[5], values), cin, cout, k * k);
        byte[] expanded = new byte[dense.length];
        for (int i = 0; i < dense.length; i++) {
            expanded[i] = (byte) dense[i];
        }
        return new Int8Conv(h, cin, cout, k, pad, expanded, in.floats(), in.f(), in.floats(), true);
    }

    /** The canonical weights the compact format stands for (zeros where pruned). */
    static float[] expand(Sparsity s, int cin, int cout, int k2) {
        float[] w = new float[cout * cin * k2];
        int wi = 0;
        for (int i = 0; i < cout; i++) {
            int oc = s.order[i];
            for (int g = s.ocGroups[i]; g < s.ocGroups[i + 1]; g++) {
                int bits = s.patterns[s.groupPattern[g]];
                for (int q = s.groupKernels[g]; q < s.groupKernels[g + 1]; q++) {
                    for (int t = 0; t < k2; t++) {
                        if ((bits >>> t & 1) != 0) {
                            w[(oc * cin + s.kernelIc[q]) * k2 + t] = s.weights[wi++];
                        }
                    }
                }
            }
        }
        return w;
    }

    private static Linear block(Head h, Bin.In in) {
        int nIn = in.i();
        int nOut = in.i();
        int rows = in.i();
        int[] colStart = in.ints();
        int[] cols = in.ints();
        float[] wb = in.floats();
        float[] bias = in.floats();
        float[] w = new float[nIn * nOut];
        for (int b = 0; b + 1 < colStart.length; b++) {
            int r0 = b * rows;
            int kept = colStart[b + 1] - colStart[b];
            // rows of a block are stored padded to rowsPerBlock, so the block starts at rows * colStart[b]
            for (int r = r0; r < Math.min(nOut, r0 + rows); r++) {
                for (int q = 0; q < kept; q++) {
                    w[r * nIn + cols[colStart[b] + q]] = wb[rows * colStart[b] + (r - r0) * kept + q];
                }
            }
        }
        return new Linear(h, nIn, nOut, w, bias);
    }
}
