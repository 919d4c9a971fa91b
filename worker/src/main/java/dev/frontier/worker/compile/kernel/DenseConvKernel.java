package dev.frontier.worker.compile.kernel;

import dev.frontier.worker.compile.Layout;
import jdk.incubator.vector.FloatVector;

/**
 * Dense "same" stride-1 convolution (any odd k x k, groups 1) on the flattened padded layout: one
 * output plane is one long range of positions, each tap is a fixed offset into the input plane, so a
 * vector of outputs needs one unaligned load per tap and no bounds checks. Micro-kernels keep
 * {@code ocb} output channels x {@code v} vectors of accumulators in registers.
 *
 * <p>Weights are packed per block of {@code ocb} output channels as [ic][tap][oc-in-block] so the
 * broadcasts of one (ic, tap) are adjacent. Channels past {@code cout} are zero and never stored.
 */
public final class DenseConvKernel {
    /** Variant = ocb * 10 + v. */
    public static final int[] VARIANTS = {41, 42, 81, 82};

    private DenseConvKernel() {
    }

    public static int ocb(int variant) {
        return variant / 10;
    }

    public static int vectors(int variant) {
        return variant % 10;
    }

    /** Tap offsets in the flattened plane for a k x k kernel with padding p. */
    public static int[] taps(int k, int p, int rowStride) {
        int[] t = new int[k * k];
        for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
                t[ky * k + kx] = (ky - p) * rowStride + (kx - p);
            }
        }
        return t;
    }

    /** Input offsets of every (ic, tap) pair in weight order: one flat loop instead of two nested ones. */
    public static int[] offsets(int[] taps, int cin, int plane) {
        int[] o = new int[cin * taps.length];
        for (int ic = 0; ic < cin; ic++) {
            for (int t = 0; t < taps.length; t++) {
                o[ic * taps.length + t] = ic * plane + taps[t];
            }
        }
        return o;
    }

    /** w is [cout][cin][K] (canonical); result is [block][cin][K][ocb]. */
    public static float[] pack(float[] w, int cout, int cin, int k2, int ocb) {
        int[] src = packIndex(cout, cin, k2, ocb);
        float[] p = new float[src.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = src[i] < 0 ? 0f : w[src[i]];
        }
        return p;
    }

    /** For every packed position, the canonical [cout][cin][K] index it takes, or -1 past cout. */
    static int[] packIndex(int cout, int cin, int k2, int ocb) {
        int blocks = (cout + ocb - 1) / ocb;
        int[] p = new int[blocks * cin * k2 * ocb];
        java.util.Arrays.fill(p, -1);
        for (int oc = 0; oc < cout; oc++) {
            int b = oc / ocb;
            int j = oc % ocb;
            for (int ic = 0; ic < cin; ic++) {
                for (int t = 0; t < k2; t++) {
                    p[((b * cin + ic) * k2 + t) * ocb + j] = (oc * cin + ic) * k2 + t;
                }
            }
        }
        return p;
    }

    public static int blocks(int cout, int variant) {
        return (cout + ocb(variant) - 1) / ocb(variant);
    }

    /** Scalar reference: same packed weights, interior positions only. */
    public static void scalar(float[] in, float[] out, float[] wp, float[] bias, int[] taps, int cin, int cout,
                              Layout lo, int act, int ocb, int fromBlock, int toBlock) {
        int plane = lo.plane();
        int k2 = taps.length;
        for (int b = fromBlock; b < toBlock; b++) {
            for (int j = 0; j < ocb; j++) {
                int oc = b * ocb + j;
                if (oc >= cout) {
                    break;
                }
                for (int y = 0; y < lo.h(); y++) {
                    for (int x = 0; x < lo.w(); x++) {
                        int pos = lo.index(0, y, x);
                        float s = 0f;
                        for (int ic = 0; ic < cin; ic++) {
                            for (int t = 0; t < k2; t++) {
                                s += wp[((b * cin + ic) * k2 + t) * ocb + j] * in[ic * plane + pos + taps[t]];
                            }
                        }
                        out[oc * plane + pos] = Vec.act(s + bias[oc], act);
                    }
                }
            }
        }
    }

    /** {@code offs} = {@link #offsets}: every (ic, tap) input offset, precomputed at bind time. */
    public static void vector(float[] in, float[] out, float[] wp, float[] bias, int[] offs, int cin, int cout,
                              Layout lo, int act, int variant, int fromBlock, int toBlock) {
        int ocb = ocb(variant);
        int v = vectors(variant);
        for (int b = fromBlock; b < toBlock; b++) {
            if (ocb == 4 && v == 2) {
                block4x2(in, out, wp, bias, offs, cin, cout, lo, act, b);
            } else if (ocb == 4) {
                block4x1(in, out, wp, bias, offs, cin, cout, lo, act, b);
            } else if (v == 2) {
                block8x2(in, out, wp, bias, offs, cin, cout, lo, act, b);
            } else {
                block8x1(in, out, wp, bias, offs, cin, cout, lo, act, b);
            }
            for (int j = 0; j < ocb && b * ocb + j < cout; j++) {
                lo.zeroPadColumns(out, (b * ocb + j) * lo.plane());
            }
        }
    }

    private static void block4x2(float[] in, float[] out, float[] wp, float[] bias, int[] taps, int cin, int cout,
                                 Layout lo, int act, int b) {
        final int L = Vec.L;
        int plane = lo.plane();
        int start = lo.interiorStart();
        int end = lo.interiorEnd();
        int[] offs = taps;
        int n = offs.length;
        int oc0 = b * 4;
        float[] acc = Vec.accumulators();
        int wBase = b * n * 4;
        for (int pos = start; pos < end; pos += 2 * L) {
            FloatVector a00 = FloatVector.zero(Vec.S), a01 = a00, a10 = a00, a11 = a00;
            FloatVector a20 = a00, a21 = a00, a30 = a00, a31 = a00;
            int wi = wBase;
            for (int q = 0; q < n; q++, wi += 4) {
                {
                    int o = offs[q] + pos;
                    FloatVector x0 = FloatVector.fromArray(Vec.S, in, o);
                    FloatVector x1 = FloatVector.fromArray(Vec.S, in, o + L);
                    FloatVector w = FloatVector.broadcast(Vec.S, wp[wi]);
                    a00 = x0.fma(w, a00);
                    a01 = x1.fma(w, a01);
                    w = FloatVector.broadcast(Vec.S, wp[wi + 1]);
                    a10 = x0.fma(w, a10);
                    a11 = x1.fma(w, a11);
                    w = FloatVector.broadcast(Vec.S, wp[wi + 2]);
                    a20 = x0.fma(w, a20);
                    a21 = x1.fma(w, a21);
                    w = FloatVector.broadcast(Vec.S, wp[wi + 3]);
                    a30 = x0.fma(w, a30);
                    a31 = x1.fma(w, a31);
                }
            }
            a00.intoArray(acc, 0);
            a01.intoArray(acc, L);
            epi(acc, 2, oc0, out, bias, cout, plane, act, pos, end);
            a10.intoArray(acc, 0);
            a11.intoArray(acc, L);
            epi(acc, 2, oc0 + 1, out, bias, cout, plane, act, pos, end);
            a20.intoArray(acc, 0);
            a21.intoArray(acc, L);
            epi(acc, 2, oc0 + 2, out, bias, cout, plane, act, pos, end);
            a30.intoArray(acc, 0);
            a31.intoArray(acc, L);
            epi(acc, 2, oc0 + 3, out, bias, cout, plane, act, pos, end);
        }
    }

    private static void block4x1(float[] in, float[] out, float[] wp, float[] bias, int[] taps, int cin, int cout,
                                 Layout lo, int act, int b) {
        final int L = Vec.L;
        int plane = lo.plane();
        int start = lo.interiorStart();
        int end = lo.interiorEnd();
        int[] offs = taps;
        int n = offs.length;
        int oc0 = b * 4;
        float[] acc = Vec.accumulators();
        int wBase = b * n * 4;
        for (int pos = start; pos < end; pos += L) {
            FloatVector a0 = FloatVector.zero(Vec.S), a1 = a0, a2 = a0, a3 = a0;
            int wi = wBase;
            for (int q = 0; q < n; q++, wi += 4) {
                {
                    FloatVector x0 = FloatVector.fromArray(Vec.S, in, offs[q] + pos);
                    a0 = x0.fma(FloatVector.broadcast(Vec.S, wp[wi]), a0);
                    a1 = x0.fma(FloatVector.broadcast(Vec.S, wp[wi + 1]), a1);
                    a2 = x0.fma(FloatVector.broadcast(Vec.S, wp[wi + 2]), a2);
                    a3 = x0.fma(FloatVector.broadcast(Vec.S, wp[wi + 3]), a3);
                }
            }
            a0.intoArray(acc, 0);
            epi(acc, 1, oc0, out, bias, cout, plane, act, pos, end);
            a1.intoArray(acc, 0);
            epi(acc, 1, oc0 + 1, out, bias, cout, plane, act, pos, end);
            a2.intoArray(acc, 0);
            epi(acc, 1, oc0 + 2, out, bias, cout, plane, act, pos, end);
            a3.intoArray(acc, 0);
            epi(acc, 1, oc0 + 3, out, bias, cout, plane, act, pos, end);
        }
    }

    private static void block8x1(float[] in, float[] out, float[] wp, float[] bias, int[] taps, int cin, int cout,
                                 Layout lo, int act, int b) {
        final int L = Vec.L;
        int plane = lo.plane();
        int start = lo.interiorStart();
        int end = lo.interiorEnd();
        int[] offs = taps;
        int n = offs.length;
        int oc0 = b * 8;
        float[] acc = Vec.accumulators();
        int wBase = b * n * 8;
        for (int pos = start; pos < end; pos += L) {
            FloatVector a0 = FloatVector.zero(Vec.S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            int wi = wBase;
            for (int q = 0; q < n; q++, wi += 8) {
                {
                    FloatVector x0 = FloatVector.fromArray(Vec.S, in, offs[q] + pos);
                    a0 = x0.fma(FloatVector.broadcast(Vec.S, wp[wi]), a0);
                    a1 = x0.fma(FloatVector.broadcast(Vec.S, wp[wi + 1]), a1);
                    a2 = x0.fma(FloatVector.broadcast(Vec.S, wp[wi + 2]), a2);
                    a3 = x0.fma(FloatVector.broadcast(Vec.S, wp[wi + 3]), a3);
                    a4 = x0.fma(FloatVector.broadcast(Vec.S, wp[wi + 4]), a4);
                    a5 = x0.fma(FloatVector.broadcast(Vec.S, wp[wi + 5]), a5);
                    a6 = x0.fma(FloatVector.broadcast(Vec.S, wp[wi + 6]), a6);
                    a7 = x0.fma(FloatVector.broadcast(Vec.S, wp[wi + 7]), a7);
                }
            }
            a0.intoArray(acc, 0);
            epi(acc, 1, oc0, out, bias, cout, plane, act, pos, end);
            a1.intoArray(acc, 0);
            epi(acc, 1, oc0 + 1, out, bias, cout, plane, act, pos, end);
            a2.intoArray(acc, 0);
            epi(acc, 1, oc0 + 2, out, bias, cout, plane, act, pos, end);
            a3.intoArray(acc, 0);
            epi(acc, 1, oc0 + 3, out, bias, cout, plane, act, pos, end);
            a4.intoArray(acc, 0);
            epi(acc, 1, oc0 + 4, out, bias, cout, plane, act, pos, end);
            a5.intoArray(acc, 0);
            epi(acc, 1, oc0 + 5, out, bias, cout, plane, act, pos, end);
            a6.intoArray(acc, 0);
            epi(acc, 1, oc0 + 6, out, bias, cout, plane, act, pos, end);
            a7.intoArray(acc, 0);
            epi(acc, 1, oc0 + 7, out, bias, cout, plane, act, pos, end);
        }
    }

    private static void block8x2(float[] in, float[] out, float[] wp, float[] bias, int[] taps, int cin, int cout,
                                 Layout lo, int act, int b) {
        final int L = Vec.L;
        int plane = lo.plane();
        int start = lo.interiorStart();
        int end = lo.interiorEnd();
        int[] offs = taps;
        int n = offs.length;
        int oc0 = b * 8;
        float[] acc = Vec.accumulators();
        int wBase = b * n * 8;
        for (int pos = start; pos < end; pos += 2 * L) {
            FloatVector a00 = FloatVector.zero(Vec.S), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00;
            FloatVector a30 = a00, a31 = a00, a40 = a00, a41 = a00, a50 = a00, a51 = a00;
            FloatVector a60 = a00, a61 = a00, a70 = a00, a71 = a00;
            int wi = wBase;
            for (int q = 0; q < n; q++, wi += 8) {
                {
                    int o = offs[q] + pos;
                    FloatVector x0 = FloatVector.fromArray(Vec.S, in, o);
                    FloatVector x1 = FloatVector.fromArray(Vec.S, in, o + L);
                    FloatVector w = FloatVector.broadcast(Vec.S, wp[wi]);
                    a00 = x0.fma(w, a00);
                    a01 = x1.fma(w, a01);
                    w = FloatVector.broadcast(Vec.S, wp[wi + 1]);
                    a10 = x0.fma(w, a10);
                    a11 = x1.fma(w, a11);
                    w = FloatVector.broadcast(Vec.S, wp[wi + 2]);
                    a20 = x0.fma(w, a20);
                    a21 = x1.fma(w, a21);
                    w = FloatVector.broadcast(Vec.S, wp[wi + 3]);
                    a30 = x0.fma(w, a30);
                    a31 = x1.fma(w, a31);
                    w = FloatVector.broadcast(Vec.S, wp[wi + 4]);
                    a40 = x0.fma(w, a40);
                    a41 = x1.fma(w, a41);
                    w = FloatVector.broadcast(Vec.S, wp[wi + 5]);
                    a50 = x0.fma(w, a50);
                    a51 = x1.fma(w, a51);
                    w = FloatVector.broadcast(Vec.S, wp[wi + 6]);
                    a60 = x0.fma(w, a60);
                    a61 = x1.fma(w, a61);
                    w = FloatVector.broadcast(Vec.S, wp[wi + 7]);
                    a70 = x0.fma(w, a70);
                    a71 = x1.fma(w, a71);
                }
            }
            a00.intoArray(acc, 0);
            a01.intoArray(acc, L);
            epi(acc, 2, oc0, out, bias, cout, plane, act, pos, end);
            a10.intoArray(acc, 0);
            a11.intoArray(acc, L);
            epi(acc, 2, oc0 + 1, out, bias, cout, plane, act, pos, end);
            a20.intoArray(acc, 0);
            a21.intoArray(acc, L);
            epi(acc, 2, oc0 + 2, out, bias, cout, plane, act, pos, end);
            a30.intoArray(acc, 0);
            a31.intoArray(acc, L);
            epi(acc, 2, oc0 + 3, out, bias, cout, plane, act, pos, end);
            a40.intoArray(acc, 0);
            a41.intoArray(acc, L);
            epi(acc, 2, oc0 + 4, out, bias, cout, plane, act, pos, end);
            a50.intoArray(acc, 0);
            a51.intoArray(acc, L);
            epi(acc, 2, oc0 + 5, out, bias, cout, plane, act, pos, end);
            a60.intoArray(acc, 0);
            a61.intoArray(acc, L);
            epi(acc, 2, oc0 + 6, out, bias, cout, plane, act, pos, end);
            a70.intoArray(acc, 0);
            a71.intoArray(acc, L);
            epi(acc, 2, oc0 + 7, out, bias, cout, plane, act, pos, end);
        }
    }

    private static void epi(float[] acc, int nvec, int oc, float[] out, float[] bias, int cout, int plane, int act,
                            int pos, int end) {
        if (oc < cout) {
            Vec.epilogue(acc, 0, nvec, bias[oc], act, out, oc * plane + pos, pos, end);
        }
    }
}
