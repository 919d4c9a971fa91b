package dev.frontier.worker.compile.kernel;

import dev.frontier.worker.compile.Layout;
import jdk.incubator.vector.FloatVector;

/**
 * Pattern + connectivity sparse 3x3 (or any same, stride-1) convolution on the flattened padded layout.
 * Only kept kernels are visited, and inside a kernel only the taps of its pattern: the work is the
 * kept MACs. Per output channel (in the reordered order) kernels come grouped by pattern, so the tap
 * offsets are loop invariants of a group and a kernel costs one input-channel index plus its weights.
 * {@code v} independent accumulator vectors (4 or 8) cover consecutive positions.
 */
public final class SparseConvKernel {
    public static final int[] VARIANTS = {4, 8};

    private SparseConvKernel() {
    }

    /** Derived, load-time form of the packed format (see SparseConvOp for the stored one). */
    public record Bound(int[] order, int[] ocGroups, int[] groupPattern, int[] groupKernels, int[] kernelIcOff,
                        int[] kernelW, float[] weights, int[][] patternTaps, float[] bias, int act, Layout lo) {
    }

    public static int[] tapsOf(int patternMask, int k, int p, int rowStride) {
        int[] t = new int[Integer.bitCount(patternMask)];
        int n = 0;
        for (int i = 0; i < k * k; i++) {
            if ((patternMask >>> i & 1) != 0) {
                t[n++] = (i / k - p) * rowStride + (i % k - p);
            }
        }
        return t;
    }

    public static void scalar(float[] in, float[] out, Bound b, int from, int to) {
        Layout lo = b.lo();
        int plane = lo.plane();
        for (int i = from; i < to; i++) {
            int oc = b.order()[i];
            for (int y = 0; y < lo.h(); y++) {
                for (int x = 0; x < lo.w(); x++) {
                    int pos = lo.index(0, y, x);
                    float s = 0f;
                    for (int g = b.ocGroups()[i]; g < b.ocGroups()[i + 1]; g++) {
                        int[] taps = b.patternTaps()[b.groupPattern()[g]];
                        for (int k = b.groupKernels()[g]; k < b.groupKernels()[g + 1]; k++) {
                            int base = b.kernelIcOff()[k] + pos;
                            int wi = b.kernelW()[k];
                            for (int t = 0; t < taps.length; t++) {
                                s += b.weights()[wi + t] * in[base + taps[t]];
                            }
                        }
                    }
                    out[oc * plane + pos] = Vec.act(s + b.bias()[oc], b.act());
                }
            }
        }
    }

    public static void vector(float[] in, float[] out, Bound b, int variant, int from, int to) {
        Layout lo = b.lo();
        for (int i = from; i < to; i++) {
            if (variant == 8) {
                channel8(in, out, b, i);
            } else {
                channel4(in, out, b, i);
            }
            lo.zeroPadColumns(out, b.order()[i] * lo.plane());
        }
    }

    private static void channel4(float[] in, float[] out, Bound b, int i) {
        final int L = Vec.L;
        Layout lo = b.lo();
        int start = lo.interiorStart();
        int end = lo.interiorEnd();
        int oc = b.order()[i];
        int obase = oc * lo.plane();
        float bias = b.bias()[oc];
        int g0 = b.ocGroups()[i];
        int g1 = b.ocGroups()[i + 1];
        int[] gk = b.groupKernels();
        int[] icOff = b.kernelIcOff();
        int[] kw = b.kernelW();
        float[] w = b.weights();
        for (int pos = start; pos < end; pos += 4 * L) {
            FloatVector a0 = FloatVector.zero(Vec.S), a1 = a0, a2 = a0, a3 = a0;
            for (int g = g0; g < g1; g++) {
                int[] taps = b.patternTaps()[b.groupPattern()[g]];
                if (taps.length == 4) {
                    int t0 = taps[0], t1 = taps[1], t2 = taps[2], t3 = taps[3];
                    for (int k = gk[g]; k < gk[g + 1]; k++) {
                        int base = icOff[k] + pos;
                        int wi = kw[k];
                        FloatVector w0 = FloatVector.broadcast(Vec.S, w[wi]);
                        FloatVector w1 = FloatVector.broadcast(Vec.S, w[wi + 1]);
                        FloatVector w2 = FloatVector.broadcast(Vec.S, w[wi + 2]);
                        FloatVector w3 = FloatVector.broadcast(Vec.S, w[wi + 3]);
                        int o = base;
                        a0 = Vec.load(in, o + t0).fma(w0, Vec.load(in, o + t1).fma(w1,
                                Vec.load(in, o + t2).fma(w2, Vec.load(in, o + t3).fma(w3, a0))));
                        o += L;
                        a1 = Vec.load(in, o + t0).fma(w0, Vec.load(in, o + t1).fma(w1,
                                Vec.load(in, o + t2).fma(w2, Vec.load(in, o + t3).fma(w3, a1))));
                        o += L;
                        a2 = Vec.load(in, o + t0).fma(w0, Vec.load(in, o + t1).fma(w1,
                                Vec.load(in, o + t2).fma(w2, Vec.load(in, o + t3).fma(w3, a2))));
                        o += L;
                        a3 = Vec.load(in, o + t0).fma(w0, Vec.load(in, o + t1).fma(w1,
                                Vec.load(in, o + t2).fma(w2, Vec.load(in, o + t3).fma(w3, a3))));
                    }
                } else {
                    for (int k = gk[g]; k < gk[g + 1]; k++) {
                        int base = icOff[k] + pos;
                        int wi = kw[k];
                        for (int t = 0; t < taps.length; t++) {
                            FloatVector wt = FloatVector.broadcast(Vec.S, w[wi + t]);
                            int o = base + taps[t];
                            a0 = Vec.load(in, o).fma(wt, a0);
                            a1 = Vec.load(in, o + L).fma(wt, a1);
                            a2 = Vec.load(in, o + 2 * L).fma(wt, a2);
                            a3 = Vec.load(in, o + 3 * L).fma(wt, a3);
                        }
                    }
                }
            }
            int o = obase + pos;
            Vec.store(a0, bias, b.act(), out, o, pos, end);
            Vec.store(a1, bias, b.act(), out, o + L, pos + L, end);
            Vec.store(a2, bias, b.act(), out, o + 2 * L, pos + 2 * L, end);
            Vec.store(a3, bias, b.act(), out, o + 3 * L, pos + 3 * L, end);
        }
    }

    private static void channel8(float[] in, float[] out, Bound b, int i) {
        final int L = Vec.L;
        Layout lo = b.lo();
        int start = lo.interiorStart();
        int end = lo.interiorEnd();
        int oc = b.order()[i];
        int obase = oc * lo.plane();
        float bias = b.bias()[oc];
        int g0 = b.ocGroups()[i];
        int g1 = b.ocGroups()[i + 1];
        int[] gk = b.groupKernels();
        int[] icOff = b.kernelIcOff();
        int[] kw = b.kernelW();
        float[] w = b.weights();
        for (int pos = start; pos < end; pos += 8 * L) {
            FloatVector a0 = FloatVector.zero(Vec.S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            for (int g = g0; g < g1; g++) {
                int[] taps = b.patternTaps()[b.groupPattern()[g]];
                int nt = taps.length;
                for (int k = gk[g]; k < gk[g + 1]; k++) {
                    int base = icOff[k] + pos;
                    int wi = kw[k];
                    for (int t = 0; t < nt; t++) {
                        FloatVector wt = FloatVector.broadcast(Vec.S, w[wi + t]);
                        int o = base + taps[t];
                        a0 = Vec.load(in, o).fma(wt, a0);
                        a1 = Vec.load(in, o + L).fma(wt, a1);
                        a2 = Vec.load(in, o + 2 * L).fma(wt, a2);
                        a3 = Vec.load(in, o + 3 * L).fma(wt, a3);
                        a4 = Vec.load(in, o + 4 * L).fma(wt, a4);
                        a5 = Vec.load(in, o + 5 * L).fma(wt, a5);
                        a6 = Vec.load(in, o + 6 * L).fma(wt, a6);
                        a7 = Vec.load(in, o + 7 * L).fma(wt, a7);
                    }
                }
            }
            int o = obase + pos;
            int act = b.act();
            Vec.store(a0, bias, act, out, o, pos, end);
            Vec.store(a1, bias, act, out, o + L, pos + L, end);
            Vec.store(a2, bias, act, out, o + 2 * L, pos + 2 * L, end);
            Vec.store(a3, bias, act, out, o + 3 * L, pos + 3 * L, end);
            Vec.store(a4, bias, act, out, o + 4 * L, pos + 4 * L, end);
            Vec.store(a5, bias, act, out, o + 5 * L, pos + 5 * L, end);
            Vec.store(a6, bias, act, out, o + 6 * L, pos + 6 * L, end);
            Vec.store(a7, bias, act, out, o + 7 * L, pos + 7 * L, end);
        }
    }
}
