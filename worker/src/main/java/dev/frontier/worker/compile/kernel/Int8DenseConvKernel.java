package dev.frontier.worker.compile.kernel;

import dev.frontier.worker.compile.Layout;
import jdk.incubator.vector.IntVector;

/**
 * Int8 dense "same" stride-1 convolution on the flattened padded layout of {@link DenseConvKernel}:
 * int8 input codes (same geometry as the float activation, zero ring = code 0), int8 weight codes
 * widened once at bind time to ints packed [block][cin][tap][oc-in-block], int32 accumulation, one
 * float rescale per output channel ({@code scale[oc]} = weight scale x input scale) in the epilogue.
 *
 * <p>Why ints and not shorts: the Vector API on JDK 17 exposes no pmaddwd / VNNI dot product, so an
 * int8 MAC costs a widening load (shared by the block's output channels), a vpmulld and a vpaddd,
 * against one FMA for float. The int8 path saves memory (4x smaller weights and activations read),
 * not instructions.
 */
public final class Int8DenseConvKernel {
    /** Variant = ocb * 10 + v, as in {@link DenseConvKernel}. */
    public static final int[] VARIANTS = {82, 81};

    private Int8DenseConvKernel() {
    }

    /** Canonical [cout][cin][k2] codes -> packed ints for blocks of {@code ocb} output channels (zeros past cout). */
    public static int[] pack(byte[] codes, int cout, int cin, int k2, int ocb) {
        int[] src = DenseConvKernel.packIndex(cout, cin, k2, ocb);
        int[] p = new int[src.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = src[i] < 0 ? 0 : codes[src[i]];
        }
        return p;
    }

    public static void scalar(byte[] in, float[] out, int[] wp, float[] scale, float[] bias, int[] taps, int cin,
                              int cout, Layout lo, int act, int ocb, int fromBlock, int toBlock) {
        int plane = lo.plane();
        int k2 = taps.length;
        for (int b = fromBlock; b < toBlock; b++) {
            for (int j = 0; j < ocb && b * ocb + j < cout; j++) {
                int oc = b * ocb + j;
                for (int y = 0; y < lo.h(); y++) {
                    for (int x = 0; x < lo.w(); x++) {
                        int pos = lo.index(0, y, x);
                        int s = 0;
                        for (int ic = 0; ic < cin; ic++) {
                            for (int t = 0; t < k2; t++) {
                                s += wp[((b * cin + ic) * k2 + t) * ocb + j] * in[ic * plane + pos + taps[t]];
                            }
                        }
                        out[oc * plane + pos] = Vec.act((float) s * scale[oc] + bias[oc], act);
                    }
                }
            }
        }
    }

    /** {@code offs}: every (ic, tap) input offset ({@link DenseConvKernel#offsets}). */
    public static void vector(byte[] in, float[] out, int[] wp, float[] scale, float[] bias, int[] offs, int cout,
                              Layout lo, int act, int variant, int fromBlock, int toBlock) {
        int ocb = DenseConvKernel.ocb(variant);
        for (int b = fromBlock; b < toBlock; b++) {
            if (DenseConvKernel.vectors(variant) == 2) {
                block8x2(in, out, wp, scale, bias, offs, cout, lo, act, b);
            } else {
                block8x1(in, out, wp, scale, bias, offs, cout, lo, act, b);
            }
            for (int j = 0; j < ocb && b * ocb + j < cout; j++) {
                lo.zeroPadColumns(out, (b * ocb + j) * lo.plane());
            }
        }
    }

    private static void block8x1(byte[] in, float[] out, int[] wp, float[] scale, float[] bias, int[] offs, int cout,
                                 Layout lo, int act, int b) {
        final int L = Vec.L;
        int end = lo.interiorEnd();
        int n = offs.length;
        int[] acc = Int8Vec.intAccumulators();
        for (int pos = lo.interiorStart(); pos < end; pos += L) {
            IntVector a0 = IntVector.zero(Int8Vec.IS), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            for (int q = 0, wi = b * n * 8; q < n; q++, wi += 8) {
                IntVector x = Int8Vec.load(in, offs[q] + pos);
                a0 = a0.add(x.mul(wp[wi]));
                a1 = a1.add(x.mul(wp[wi + 1]));
                a2 = a2.add(x.mul(wp[wi + 2]));
                a3 = a3.add(x.mul(wp[wi + 3]));
                a4 = a4.add(x.mul(wp[wi + 4]));
                a5 = a5.add(x.mul(wp[wi + 5]));
                a6 = a6.add(x.mul(wp[wi + 6]));
                a7 = a7.add(x.mul(wp[wi + 7]));
            }
            a0.intoArray(acc, 0);
            a1.intoArray(acc, L);
            a2.intoArray(acc, 2 * L);
            a3.intoArray(acc, 3 * L);
            a4.intoArray(acc, 4 * L);
            a5.intoArray(acc, 5 * L);
            a6.intoArray(acc, 6 * L);
            a7.intoArray(acc, 7 * L);
            store(acc, 1, b * 8, out, scale, bias, cout, lo.plane(), act, pos, end);
        }
    }

    private static void block8x2(byte[] in, float[] out, int[] wp, float[] scale, float[] bias, int[] offs, int cout,
                                 Layout lo, int act, int b) {
        final int L = Vec.L;
        int end = lo.interiorEnd();
        int n = offs.length;
        int[] acc = Int8Vec.intAccumulators();
        for (int pos = lo.interiorStart(); pos < end; pos += 2 * L) {
            IntVector a00 = IntVector.zero(Int8Vec.IS), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00;
            IntVector a30 = a00, a31 = a00, a40 = a00, a41 = a00, a50 = a00, a51 = a00, a60 = a00, a61 = a00;
            IntVector a70 = a00, a71 = a00;
            for (int q = 0, wi = b * n * 8; q < n; q++, wi += 8) {
                int o = offs[q] + pos;
                IntVector x0 = Int8Vec.load(in, o);
                IntVector x1 = Int8Vec.load(in, o + L);
                IntVector w = IntVector.broadcast(Int8Vec.IS, wp[wi]);
                a00 = a00.add(x0.mul(w));
                a01 = a01.add(x1.mul(w));
                w = IntVector.broadcast(Int8Vec.IS, wp[wi + 1]);
                a10 = a10.add(x0.mul(w));
                a11 = a11.add(x1.mul(w));
                w = IntVector.broadcast(Int8Vec.IS, wp[wi + 2]);
                a20 = a20.add(x0.mul(w));
                a21 = a21.add(x1.mul(w));
                w = IntVector.broadcast(Int8Vec.IS, wp[wi + 3]);
                a30 = a30.add(x0.mul(w));
                a31 = a31.add(x1.mul(w));
                w = IntVector.broadcast(Int8Vec.IS, wp[wi + 4]);
                a40 = a40.add(x0.mul(w));
                a41 = a41.add(x1.mul(w));
                w = IntVector.broadcast(Int8Vec.IS, wp[wi + 5]);
                a50 = a50.add(x0.mul(w));
                a51 = a51.add(x1.mul(w));
                w = IntVector.broadcast(Int8Vec.IS, wp[wi + 6]);
                a60 = a60.add(x0.mul(w));
                a61 = a61.add(x1.mul(w));
                w = IntVector.broadcast(Int8Vec.IS, wp[wi + 7]);
                a70 = a70.add(x0.mul(w));
                a71 = a71.add(x1.mul(w));
            }
            // [oc][vector] so each channel's two vectors are adjacent for the epilogue
            a00.intoArray(acc, 0);
            a01.intoArray(acc, L);
            a10.intoArray(acc, 2 * L);
            a11.intoArray(acc, 3 * L);
            a20.intoArray(acc, 4 * L);
            a21.intoArray(acc, 5 * L);
            a30.intoArray(acc, 6 * L);
            a31.intoArray(acc, 7 * L);
            a40.intoArray(acc, 8 * L);
            a41.intoArray(acc, 9 * L);
            a50.intoArray(acc, 10 * L);
            a51.intoArray(acc, 11 * L);
            a60.intoArray(acc, 12 * L);
            a61.intoArray(acc, 13 * L);
            a70.intoArray(acc, 14 * L);
            a71.intoArray(acc, 15 * L);
            store(acc, 2, b * 8, out, scale, bias, cout, lo.plane(), act, pos, end);
        }
    }

    /** Epilogue of 8 channels x {@code nvec} spilled vectors (channel j's at acc[j*nvec*L..]). */
    private static void store(int[] acc, int nvec, int oc0, float[] out, float[] scale, float[] bias, int cout,
                              int plane, int act, int pos, int end) {
        for (int j = 0; j < 8 && oc0 + j < cout; j++) {
            int oc = oc0 + j;
            Int8Vec.epilogue(acc, j * nvec, nvec, scale[oc], bias[oc], act, out, oc * plane + pos, pos, end);
        }
    }
}
