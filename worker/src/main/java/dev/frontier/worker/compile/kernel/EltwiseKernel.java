package dev.frontier.worker.compile.kernel;

import dev.frontier.worker.compile.Layout;
import jdk.incubator.vector.FloatVector;

/** Element-wise kernels over whole buffers (zero rings stay zero: 0 + 0 and relu(0) are 0). */
public final class EltwiseKernel {
    private EltwiseKernel() {
    }

    public static void addScalar(float[] a, float[] b, float[] out, int from, int to, int act) {
        for (int i = from; i < to; i++) {
            out[i] = Vec.act(a[i] + b[i], act);
        }
    }

    public static void addVector(float[] a, float[] b, float[] out, int from, int to, int act) {
        int i = from;
        for (; i + Vec.L <= to; i += Vec.L) {
            FloatVector v = FloatVector.fromArray(Vec.S, a, i).add(FloatVector.fromArray(Vec.S, b, i));
            if (act == Vec.RELU) {
                v = v.max(0f);
            } else if (act == Vec.RELU6) {
                v = v.max(0f).min(6f);
            }
            v.intoArray(out, i);
        }
        addScalar(a, b, out, i, to, act);
    }

    public static void activationScalar(float[] in, float[] out, int from, int to, int act) {
        for (int i = from; i < to; i++) {
            out[i] = Vec.act(in[i], act);
        }
    }

    public static void activationVector(float[] in, float[] out, int from, int to, int act) {
        int i = from;
        for (; i + Vec.L <= to; i += Vec.L) {
            FloatVector v = FloatVector.fromArray(Vec.S, in, i);
            if (act == Vec.RELU) {
                v = v.max(0f);
            } else if (act == Vec.RELU6) {
                v = v.max(0f).min(6f);
            }
            v.intoArray(out, i);
        }
        activationScalar(in, out, i, to, act);
    }

    /** Per-channel y = x * scale + shift on interior positions (a batch norm that could not be folded). */
    public static void affineScalar(float[] in, float[] out, Layout l, float[] scale, float[] shift, int act,
                                    int from, int to) {
        for (int c = from; c < to; c++) {
            for (int y = 0; y < l.h(); y++) {
                for (int x = 0; x < l.w(); x++) {
                    int i = l.index(c, y, x);
                    out[i] = Vec.act(in[i] * scale[c] + shift[c], act);
                }
            }
        }
    }

    public static void affineVector(float[] in, float[] out, Layout l, float[] scale, float[] shift, int act,
                                    int from, int to) {
        float[] spill = Vec.accumulators();
        for (int c = from; c < to; c++) {
            FloatVector sc = FloatVector.broadcast(Vec.S, scale[c]);
            for (int y = 0; y < l.h(); y++) {
                int row = l.index(c, y, 0);
                for (int x = 0; x < l.w(); x += Vec.L) {
                    FloatVector v = x + Vec.L <= l.w() ? FloatVector.fromArray(Vec.S, in, row + x)
                            : FloatVector.fromArray(Vec.S, Vec.partial(in, row + x, l.w() - x), 0);
                    v.mul(sc).intoArray(spill, 0);
                    Vec.epilogue(spill, 0, 1, shift[c], act, out, row + x, x, l.w());
                }
            }
        }
    }

    public static void softmax(float[] in, float[] out, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, in[i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(in[i] - m);
            out[i] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int i = 0; i < n; i++) {
            out[i] *= inv;
        }
    }
}
