package dev.frontier.worker.compile.kernel;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batch-1 fully connected layers: dense (4 rows share each input load), block-sparse (per block of
 * rows, the kept columns are gathered once and the block's packed weights are dense), and int8
 * (integer weights and a dynamically quantized input, int32 accumulation, one float rescale per row).
 * Work unit = 4 rows (dense, int8) or one row block (block-sparse).
 */
public final class LinearKernel {
    static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    static final VectorSpecies<Byte> BS = VectorSpecies.of(byte.class, VectorShape.forBitSize(IS.length() * 8));

    private LinearKernel() {
    }

    // ---- dense ----

    public static void denseScalar(float[] x, float[] y, float[] w, float[] bias, int n, int out, int act,
                                   int fromRow, int toRow) {
        for (int r = fromRow; r < Math.min(toRow, out); r++) {
            float s = 0f;
            for (int i = 0; i < n; i++) {
                s += w[r * n + i] * x[i];
            }
            y[r] = Vec.act(s + bias[r], act);
        }
    }

    public static void denseVector(float[] x, float[] y, float[] w, float[] bias, int n, int out, int act,
                                   int fromRow, int toRow) {
        int to = Math.min(toRow, out);
        int r = fromRow;
        for (; r + 4 <= to; r += 4) {
            FloatVector a0 = FloatVector.zero(Vec.S), a1 = a0, a2 = a0, a3 = a0;
            int b0 = r * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
            int i = 0;
            for (; i + Vec.L <= n; i += Vec.L) {
                FloatVector xv = FloatVector.fromArray(Vec.S, x, i);
                a0 = FloatVector.fromArray(Vec.S, w, b0 + i).fma(xv, a0);
                a1 = FloatVector.fromArray(Vec.S, w, b1 + i).fma(xv, a1);
                a2 = FloatVector.fromArray(Vec.S, w, b2 + i).fma(xv, a2);
                a3 = FloatVector.fromArray(Vec.S, w, b3 + i).fma(xv, a3);
            }
            float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
            float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
            for (; i < n; i++) {
                float xv = x[i];
                s0 += w[b0 + i] * xv;
                s1 += w[b1 + i] * xv;
                s2 += w[b2 + i] * xv;
                s3 += w[b3 + i] * xv;
            }
            y[r] = Vec.act(s0 + bias[r], act);
            y[r + 1] = Vec.act(s1 + bias[r + 1], act);
            y[r + 2] = Vec.act(s2 + bias[r + 2], act);
            y[r + 3] = Vec.act(s3 + bias[r + 3], act);
        }
        denseScalar(x, y, w, bias, n, out, act, r, to);
    }

    // ---- block-sparse ----

    /**
     * Row block b covers rows [b*R, b*R+R); its kept columns are cols[colStart[b] .. colStart[b+1]) and
     * its weights are R rows x K_b values at w[R*colStart[b] ..] (rows past {@code out} are zero).
     */
    public record Blocks(int rowsPerBlock, int[] colStart, int[] cols, float[] w) {
        public int blocks() {
            return colStart.length - 1;
        }
    }

    public static void blockScalar(float[] x, float[] y, Blocks bl, float[] bias, int out, int act, int fromB, int toB) {
        int rb = bl.rowsPerBlock();
        for (int b = fromB; b < toB; b++) {
            int c0 = bl.colStart()[b];
            int k = bl.colStart()[b + 1] - c0;
            for (int j = 0; j < rb && b * rb + j < out; j++) {
                int wb = rb * c0 + j * k;
                float s = 0f;
                for (int q = 0; q < k; q++) {
                    s += bl.w()[wb + q] * x[bl.cols()[c0 + q]];
                }
                y[b * rb + j] = Vec.act(s + bias[b * rb + j], act);
            }
        }
    }

    public static void blockVector(float[] x, float[] y, Blocks bl, float[] bias, int out, int act, int fromB, int toB) {
        int rb = bl.rowsPerBlock();
        int[] cols = bl.cols();
        float[] w = bl.w();
        for (int b = fromB; b < toB; b++) {
            int c0 = bl.colStart()[b];
            int k = bl.colStart()[b + 1] - c0;
            int j = 0;
            for (; j + 4 <= rb && b * rb + j + 4 <= out; j += 4) {
                int w0 = rb * c0 + j * k, w1 = w0 + k, w2 = w1 + k, w3 = w2 + k;
                FloatVector a0 = FloatVector.zero(Vec.S), a1 = a0, a2 = a0, a3 = a0;
                int q = 0;
                for (; q + Vec.L <= k; q += Vec.L) {
                    FloatVector xv = FloatVector.fromArray(Vec.S, x, 0, cols, c0 + q);
                    a0 = FloatVector.fromArray(Vec.S, w, w0 + q).fma(xv, a0);
                    a1 = FloatVector.fromArray(Vec.S, w, w1 + q).fma(xv, a1);
                    a2 = FloatVector.fromArray(Vec.S, w, w2 + q).fma(xv, a2);
                    a3 = FloatVector.fromArray(Vec.S, w, w3 + q).fma(xv, a3);
                }
                float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
                float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
                for (; q < k; q++) {
                    float xv = x[cols[c0 + q]];
                    s0 += w[w0 + q] * xv;
                    s1 += w[w1 + q] * xv;
                    s2 += w[w2 + q] * xv;
                    s3 += w[w3 + q] * xv;
                }
                int r = b * rb + j;
                y[r] = Vec.act(s0 + bias[r], act);
                y[r + 1] = Vec.act(s1 + bias[r + 1], act);
                y[r + 2] = Vec.act(s2 + bias[r + 2], act);
                y[r + 3] = Vec.act(s3 + bias[r + 3], act);
            }
            for (; j < rb && b * rb + j < out; j++) {
                int wb = rb * c0 + j * k;
                float s = 0f;
                for (int q = 0; q < k; q++) {
                    s += w[wb + q] * x[cols[c0 + q]];
                }
                y[b * rb + j] = Vec.act(s + bias[b * rb + j], act);
            }
        }
    }

    // ---- int8 ----

    /** Rows padded to a multiple of the byte species so the integer loop needs no tail. */
    public static int paddedLength(int n) {
        int l = BS.length();
        return (n + l - 1) / l * l;
    }

    /** Symmetric per-tensor quantization of the input; returns the scale (value = code * scale). */
    public static float quantizeInput(float[] x, int n, byte[] xq) {
        float m = 0f;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, Math.abs(x[i]));
        }
        float scale = m == 0f ? 1f : m / 127f;
        float inv = 1f / scale;
        for (int i = 0; i < n; i++) {
            xq[i] = (byte) Math.max(-127, Math.min(127, Math.round(x[i] * inv)));
        }
        return scale;
    }

    public static void int8Scalar(byte[] xq, float sx, float[] y, byte[] w, float[] scales, float[] bias, int np,
                                  int out, int act, int fromRow, int toRow) {
        for (int r = fromRow; r < Math.min(toRow, out); r++) {
            int s = 0;
            for (int i = 0; i < np; i++) {
                s += w[r * np + i] * xq[i];
            }
            y[r] = Vec.act(s * (scales[r] * sx) + bias[r], act);
        }
    }

    public static void int8Vector(byte[] xq, float sx, float[] y, byte[] w, float[] scales, float[] bias, int np,
                                  int out, int act, int fromRow, int toRow) {
        int to = Math.min(toRow, out);
        int l = BS.length();
        int r = fromRow;
        for (; r + 2 <= to; r += 2) {
            IntVector a0 = IntVector.zero(IS), a1 = a0;
            int b0 = r * np, b1 = b0 + np;
            for (int i = 0; i < np; i += l) {
                IntVector xv = (IntVector) ByteVector.fromArray(BS, xq, i).convertShape(VectorOperators.B2I, IS, 0);
                IntVector w0 = (IntVector) ByteVector.fromArray(BS, w, b0 + i).convertShape(VectorOperators.B2I, IS, 0);
                IntVector w1 = (IntVector) ByteVector.fromArray(BS, w, b1 + i).convertShape(VectorOperators.B2I, IS, 0);
                a0 = a0.add(w0.mul(xv));
                a1 = a1.add(w1.mul(xv));
            }
            y[r] = Vec.act(a0.reduceLanes(VectorOperators.ADD) * (scales[r] * sx) + bias[r], act);
            y[r + 1] = Vec.act(a1.reduceLanes(VectorOperators.ADD) * (scales[r + 1] * sx) + bias[r + 1], act);
        }
        int8Scalar(xq, sx, y, w, scales, bias, np, out, act, r, to);
    }
}
