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

    /**
     * The load-time expansion the vector path runs on: per output channel (reordered order), its kept
     * taps as (input offset, weight) entries in pattern-group order, padded with zero-weight entries to
     * a multiple of 4. One flat loop over entries: nested variable-trip loops (group, kernel, tap)
     * made C2 on JDK 17 box the accumulators and run ~10x slower.
     */
    public record Entries(int[] start, int[] off, float[] w) {
    }

    public static Entries expand(Bound b) {
        int cout = b.order().length;
        int[] start = new int[cout + 1];
        java.util.List<int[]> offs = new java.util.ArrayList<>();
        int n = 0;
        int[] offTmp = new int[64];
        float[] wTmp = new float[64];
        for (int i = 0; i < cout; i++) {
            start[i] = n;
            for (int g = b.ocGroups()[i]; g < b.ocGroups()[i + 1]; g++) {
                int[] taps = b.patternTaps()[b.groupPattern()[g]];
                for (int k = b.groupKernels()[g]; k < b.groupKernels()[g + 1]; k++) {
                    for (int t = 0; t < taps.length; t++) {
                        if (n + 4 >= offTmp.length) {
                            offTmp = java.util.Arrays.copyOf(offTmp, offTmp.length * 2);
                            wTmp = java.util.Arrays.copyOf(wTmp, wTmp.length * 2);
                        }
                        offTmp[n] = b.kernelIcOff()[k] + taps[t];
                        wTmp[n] = b.weights()[b.kernelW()[k] + t];
                        n++;
                    }
                }
            }
            while ((n - start[i]) % 4 != 0) {
                if (n + 4 >= offTmp.length) {
                    offTmp = java.util.Arrays.copyOf(offTmp, offTmp.length * 2);
                    wTmp = java.util.Arrays.copyOf(wTmp, wTmp.length * 2);
                }
                offTmp[n] = b.lo().interiorStart();
                wTmp[n] = 0f;
                n++;
            }
        }
        start[cout] = n;
        return new Entries(start, java.util.Arrays.copyOf(offTmp, n), java.util.Arrays.copyOf(wTmp, n));
    }

    public static void vector(float[] in, float[] out, Bound b, Entries e, int variant, int from, int to) {
        Layout lo = b.lo();
        for (int i = from; i < to; i++) {
            if (variant == 8) {
                channel8(in, out, b, e, i);
            } else {
                channel4(in, out, b, e, i);
            }
            lo.zeroPadColumns(out, b.order()[i] * lo.plane());
        }
    }

    private static void channel4(float[] in, float[] out, Bound b, Entries e, int i) {
        final int L = Vec.L;
        Layout lo = b.lo();
        int start = lo.interiorStart();
        int end = lo.interiorEnd();
        int oc = b.order()[i];
        int obase = oc * lo.plane();
        float bias = b.bias()[oc];
        int q0 = e.start()[i];
        int q1 = e.start()[i + 1];
        int[] off = e.off();
        float[] w = e.w();
        float[] acc = Vec.accumulators();
        for (int pos = start; pos < end; pos += 4 * L) {
            FloatVector a0 = FloatVector.zero(Vec.S), a1 = a0, a2 = a0, a3 = a0;
            for (int q = q0; q < q1; q += 4) {
                int o0 = off[q] + pos, o1 = off[q + 1] + pos, o2 = off[q + 2] + pos, o3 = off[q + 3] + pos;
                FloatVector w0 = FloatVector.broadcast(Vec.S, w[q]);
                FloatVector w1 = FloatVector.broadcast(Vec.S, w[q + 1]);
                FloatVector w2 = FloatVector.broadcast(Vec.S, w[q + 2]);
                FloatVector w3 = FloatVector.broadcast(Vec.S, w[q + 3]);
                a0 = FloatVector.fromArray(Vec.S, in, o0).fma(w0, FloatVector.fromArray(Vec.S, in, o1).fma(w1,
                        FloatVector.fromArray(Vec.S, in, o2).fma(w2, FloatVector.fromArray(Vec.S, in, o3).fma(w3, a0))));
                a1 = FloatVector.fromArray(Vec.S, in, o0 + L).fma(w0, FloatVector.fromArray(Vec.S, in, o1 + L).fma(w1,
                        FloatVector.fromArray(Vec.S, in, o2 + L).fma(w2, FloatVector.fromArray(Vec.S, in, o3 + L).fma(w3, a1))));
                a2 = FloatVector.fromArray(Vec.S, in, o0 + 2 * L).fma(w0, FloatVector.fromArray(Vec.S, in, o1 + 2 * L).fma(w1,
                        FloatVector.fromArray(Vec.S, in, o2 + 2 * L).fma(w2,
                                FloatVector.fromArray(Vec.S, in, o3 + 2 * L).fma(w3, a2))));
                a3 = FloatVector.fromArray(Vec.S, in, o0 + 3 * L).fma(w0, FloatVector.fromArray(Vec.S, in, o1 + 3 * L).fma(w1,
                        FloatVector.fromArray(Vec.S, in, o2 + 3 * L).fma(w2,
                                FloatVector.fromArray(Vec.S, in, o3 + 3 * L).fma(w3, a3))));
            }
            a0.intoArray(acc, 0);
            a1.intoArray(acc, L);
            a2.intoArray(acc, 2 * L);
            a3.intoArray(acc, 3 * L);
            Vec.epilogue(acc, 0, 4, bias, b.act(), out, obase + pos, pos, end);
        }
    }

    private static void channel8(float[] in, float[] out, Bound b, Entries e, int i) {
        final int L = Vec.L;
        Layout lo = b.lo();
        int start = lo.interiorStart();
        int end = lo.interiorEnd();
        int oc = b.order()[i];
        int obase = oc * lo.plane();
        float bias = b.bias()[oc];
        int q0 = e.start()[i];
        int q1 = e.start()[i + 1];
        int[] off = e.off();
        float[] w = e.w();
        float[] acc = Vec.accumulators();
        for (int pos = start; pos < end; pos += 8 * L) {
            FloatVector a0 = FloatVector.zero(Vec.S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            for (int q = q0; q < q1; q++) {
                int o = off[q] + pos;
                FloatVector wt = FloatVector.broadcast(Vec.S, w[q]);
                a0 = FloatVector.fromArray(Vec.S, in, o).fma(wt, a0);
                a1 = FloatVector.fromArray(Vec.S, in, o + L).fma(wt, a1);
                a2 = FloatVector.fromArray(Vec.S, in, o + 2 * L).fma(wt, a2);
                a3 = FloatVector.fromArray(Vec.S, in, o + 3 * L).fma(wt, a3);
                a4 = FloatVector.fromArray(Vec.S, in, o + 4 * L).fma(wt, a4);
                a5 = FloatVector.fromArray(Vec.S, in, o + 5 * L).fma(wt, a5);
                a6 = FloatVector.fromArray(Vec.S, in, o + 6 * L).fma(wt, a6);
                a7 = FloatVector.fromArray(Vec.S, in, o + 7 * L).fma(wt, a7);
            }
            a0.intoArray(acc, 0);
            a1.intoArray(acc, L);
            a2.intoArray(acc, 2 * L);
            a3.intoArray(acc, 3 * L);
            a4.intoArray(acc, 4 * L);
            a5.intoArray(acc, 5 * L);
            a6.intoArray(acc, 6 * L);
            a7.intoArray(acc, 7 * L);
            Vec.epilogue(acc, 0, 8, bias, b.act(), out, obase + pos, pos, end);
        }
    }
}
