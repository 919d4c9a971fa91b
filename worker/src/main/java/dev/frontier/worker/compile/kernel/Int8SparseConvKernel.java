package dev.frontier.worker.compile.kernel;

import dev.frontier.worker.compile.Layout;
import jdk.incubator.vector.IntVector;

/**
 * Int8 pattern / connectivity sparse convolution: the entries of {@link SparseConvKernel#expand} (kept
 * taps only, as input offset + weight) with int8 weight codes, int8 input codes, int32 accumulators
 * over {@code v} (4 or 8) consecutive vectors of positions, one float rescale per output channel.
 */
public final class Int8SparseConvKernel {
    private Int8SparseConvKernel() {
    }

    /** The expanded entries with integer weights (the codes, exact in the float expansion). */
    public record Entries(int[] start, int[] off, int[] w) {
        public static Entries of(SparseConvKernel.Entries e) {
            int[] w = new int[e.w().length];
            for (int i = 0; i < w.length; i++) {
                w[i] = (int) e.w()[i];
            }
            return new Entries(e.start(), e.off(), w);
        }
    }

    /**
     * Scalar reference over the same entries. The expansion itself is checked against the packed
     * format by the float twin ({@link SparseConvKernel#scalar} walks the packed groups directly).
     */
    public static void scalar(byte[] in, float[] out, int[] order, Entries e, float[] scale, float[] bias, int act,
                              Layout lo, int from, int to) {
        for (int i = from; i < to; i++) {
            int oc = order[i];
            for (int y = 0; y < lo.h(); y++) {
                for (int x = 0; x < lo.w(); x++) {
                    int pos = lo.index(0, y, x);
                    int s = 0;
                    for (int q = e.start()[i]; q < e.start()[i + 1]; q++) {
                        s += e.w()[q] * in[e.off()[q] + pos];
                    }
                    out[oc * lo.plane() + pos] = Vec.act((float) s * scale[oc] + bias[oc], act);
                }
            }
        }
    }

    public static void vector(byte[] in, float[] out, int[] order, Entries e, float[] scale, float[] bias, int act,
                              Layout lo, int variant, int from, int to) {
        for (int i = from; i < to; i++) {
            int oc = order[i];
            int obase = oc * lo.plane();
            int q0 = e.start()[i];
            int q1 = e.start()[i + 1];
            if (variant == 8) {
                channel8(in, out, e.off(), e.w(), q0, q1, scale[oc], bias[oc], act, lo, obase);
            } else {
                channel4(in, out, e.off(), e.w(), q0, q1, scale[oc], bias[oc], act, lo, obase);
            }
            lo.zeroPadColumns(out, obase);
        }
    }

    private static void channel4(byte[] in, float[] out, int[] off, int[] w, int q0, int q1, float scale, float bias,
                                 int act, Layout lo, int obase) {
        final int L = Vec.L;
        int end = lo.interiorEnd();
        int[] acc = Int8Vec.intAccumulators();
        for (int pos = lo.interiorStart(); pos < end; pos += 4 * L) {
            IntVector a0 = IntVector.zero(Int8Vec.IS), a1 = a0, a2 = a0, a3 = a0;
            for (int q = q0; q < q1; q++) {
                int o = off[q] + pos;
                IntVector wt = IntVector.broadcast(Int8Vec.IS, w[q]);
                a0 = a0.add(Int8Vec.load(in, o).mul(wt));
                a1 = a1.add(Int8Vec.load(in, o + L).mul(wt));
                a2 = a2.add(Int8Vec.load(in, o + 2 * L).mul(wt));
                a3 = a3.add(Int8Vec.load(in, o + 3 * L).mul(wt));
            }
            a0.intoArray(acc, 0);
            a1.intoArray(acc, L);
            a2.intoArray(acc, 2 * L);
            a3.intoArray(acc, 3 * L);
            Int8Vec.epilogue(acc, 0, 4, scale, bias, act, out, obase + pos, pos, end);
        }
    }

    private static void channel8(byte[] in, float[] out, int[] off, int[] w, int q0, int q1, float scale, float bias,
                                 int act, Layout lo, int obase) {
        final int L = Vec.L;
        int end = lo.interiorEnd();
        int[] acc = Int8Vec.intAccumulators();
        for (int pos = lo.interiorStart(); pos < end; pos += 8 * L) {
            IntVector a0 = IntVector.zero(Int8Vec.IS), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            for (int q = q0; q < q1; q++) {
                int o = off[q] + pos;
                IntVector wt = IntVector.broadcast(Int8Vec.IS, w[q]);
                a0 = a0.add(Int8Vec.load(in, o).mul(wt));
                a1 = a1.add(Int8Vec.load(in, o + L).mul(wt));
                a2 = a2.add(Int8Vec.load(in, o + 2 * L).mul(wt));
                a3 = a3.add(Int8Vec.load(in, o + 3 * L).mul(wt));
                a4 = a4.add(Int8Vec.load(in, o + 4 * L).mul(wt));
                a5 = a5.add(Int8Vec.load(in, o + 5 * L).mul(wt));
                a6 = a6.add(Int8Vec.load(in, o + 6 * L).mul(wt));
                a7 = a7.add(Int8Vec.load(in, o + 7 * L).mul(wt));
            }
            a0.intoArray(acc, 0);
            a1.intoArray(acc, L);
            a2.intoArray(acc, 2 * L);
            a3.intoArray(acc, 3 * L);
            a4.intoArray(acc, 4 * L);
            a5.intoArray(acc, 5 * L);
            a6.intoArray(acc, 6 * L);
            a7.intoArray(acc, 7 * L);
            Int8Vec.epilogue(acc, 0, 8, scale, bias, act, out, obase + pos, pos, end);
        }
    }
}
