package dev.frontier.worker.compile.kernel;

import dev.frontier.worker.compile.Layout;
import jdk.incubator.vector.IntVector;

/**
 * Int8 twin of {@link DirectConvKernel} (strided, grouped, depthwise, valid convs): int8 input codes,
 * weight codes widened to ints [cout][cin/groups][kh][kw], int32 sums, one float rescale per output
 * channel. Strided convs read the {@link DirectConvKernel.Phases} copy of the codes.
 */
public final class Int8DirectConvKernel {
    private Int8DirectConvKernel() {
    }

    /** Scalar reference on the codes in the input's own layout (no phases). */
    public static void scalar(byte[] in, float[] out, int[] w, float[] scale, float[] bias, DirectConvKernel.Geometry g,
                              int act, int from, int to) {
        Layout lo = g.lo();
        int ipg = g.cin() / g.groups();
        int opg = g.cout() / g.groups();
        for (int oc = from; oc < to; oc++) {
            for (int oy = 0; oy < lo.h(); oy++) {
                for (int ox = 0; ox < lo.w(); ox++) {
                    int s = 0;
                    for (int icg = 0; icg < ipg; icg++) {
                        int ic = oc / opg * ipg + icg;
                        for (int ky = 0; ky < g.kh(); ky++) {
                            for (int kx = 0; kx < g.kw(); kx++) {
                                int wi = ((oc * ipg + icg) * g.kh() + ky) * g.kw() + kx;
                                s += w[wi] * in[g.inBase(ic, oy, ox, ky, kx)];
                            }
                        }
                    }
                    out[lo.index(oc, oy, ox)] = Vec.act((float) s * scale[oc] + bias[oc], act);
                }
            }
        }
    }

    /** Four output rows per set of int accumulators, one flat loop over the tap offsets {@code rel}. */
    public static void rows(byte[] src, float[] out, int[] w, float[] scale, float[] bias, DirectConvKernel.Geometry g,
                            int[] rel, DirectConvKernel.Source at, int act, int from, int to) {
        Layout lo = g.lo();
        int n = rel.length;
        int rs = at.rowStride();
        int opg = g.cout() / g.groups();
        int[] acc = Int8Vec.intAccumulators();
        for (int oc = from; oc < to; oc++) {
            int wb = oc * n;
            int first = oc / opg * at.groupStride() + at.origin();
            for (int oy = 0; oy < lo.h(); oy += 4) {
                int nr = Math.min(4, lo.h() - oy);
                for (int ox = 0; ox < lo.w(); ox += Vec.L) {
                    IntVector a0 = IntVector.zero(Int8Vec.IS), a1 = a0, a2 = a0, a3 = a0;
                    int base = first + oy * rs + ox;
                    // past the last output row the missing rows re-read row 0 (in bounds) and are not stored
                    int r1 = nr > 1 ? rs : 0;
                    int r2 = nr > 2 ? 2 * rs : 0;
                    int r3 = nr > 3 ? 3 * rs : 0;
                    for (int q = 0; q < n; q++) {
                        int o = base + rel[q];
                        IntVector wq = IntVector.broadcast(Int8Vec.IS, w[wb + q]);
                        a0 = a0.add(Int8Vec.load(src, o).mul(wq));
                        a1 = a1.add(Int8Vec.load(src, o + r1).mul(wq));
                        a2 = a2.add(Int8Vec.load(src, o + r2).mul(wq));
                        a3 = a3.add(Int8Vec.load(src, o + r3).mul(wq));
                    }
                    a0.intoArray(acc, 0);
                    a1.intoArray(acc, Vec.L);
                    a2.intoArray(acc, 2 * Vec.L);
                    a3.intoArray(acc, 3 * Vec.L);
                    for (int j = 0; j < nr; j++) {
                        int o = lo.index(oc, oy + j, ox);
                        Int8Vec.epilogue(acc, j, 1, scale[oc], bias[oc], act, out, o, ox, lo.w());
                    }
                }
            }
        }
    }
}
