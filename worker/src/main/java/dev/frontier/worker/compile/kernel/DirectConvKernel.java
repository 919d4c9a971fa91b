package dev.frontier.worker.compile.kernel;

import dev.frontier.worker.compile.Layout;
import jdk.incubator.vector.FloatVector;

/**
 * Any convolution (strided, grouped, depthwise, valid): per output row, a vector of output columns;
 * strided inputs are gathered. The input's zero ring must be at least the conv padding, so no tap is
 * ever bounds-checked. Canonical weights [cout][cin/groups][kh][kw]; work unit = one output channel.
 */
public final class DirectConvKernel {
    private DirectConvKernel() {
    }

    public record Geometry(int cin, int cout, int groups, int kh, int kw, int stride, int padding, Layout li,
                           Layout lo) {
        int inPerGroup() {
            return cin / groups;
        }

        int outPerGroup() {
            return cout / groups;
        }

        int inBase(int ic, int oy, int ox, int ky, int kx) {
            return ic * li.plane() + (oy * stride - padding + ky + li.pad()) * li.rowStride()
                    + ox * stride - padding + kx + li.pad();
        }
    }

    public static void scalar(float[] in, float[] out, float[] w, float[] bias, Geometry g, int act, int from, int to) {
        Layout lo = g.lo();
        int ipg = g.inPerGroup();
        for (int oc = from; oc < to; oc++) {
            int grp = oc / g.outPerGroup();
            for (int oy = 0; oy < lo.h(); oy++) {
                for (int ox = 0; ox < lo.w(); ox++) {
                    float s = 0f;
                    for (int icg = 0; icg < ipg; icg++) {
                        int ic = grp * ipg + icg;
                        for (int ky = 0; ky < g.kh(); ky++) {
                            for (int kx = 0; kx < g.kw(); kx++) {
                                s += w[((oc * ipg + icg) * g.kh() + ky) * g.kw() + kx] * in[g.inBase(ic, oy, ox, ky, kx)];
                            }
                        }
                    }
                    out[lo.index(oc, oy, ox)] = Vec.act(s + bias[oc], act);
                }
            }
        }
    }

    /**
     * Vector path for stride 1: one flat loop over (input channel, ky, kx) offsets (nested variable
     * loops make JDK 17's C2 box vector accumulators). Strided convs take the scalar path: JDK 17 has
     * no fast strided load (gathers fall back to Java code).
     */
    public static void vector(float[] in, float[] out, float[] w, float[] bias, Geometry g, int[] rel, int act,
                              int from, int to) {
        if (g.stride() != 1) {
            strided(in, out, w, bias, g, rel, act, from, to);
            return;
        }
        Layout lo = g.lo();
        Layout li = g.li();
        int ipg = g.inPerGroup();
        int kh = g.kh();
        int kw = g.kw();
        int n = ipg * kh * kw;
        float[] spill = Vec.accumulators();
        for (int oc = from; oc < to; oc++) {
            int grp = oc / g.outPerGroup();
            float b = bias[oc];
            int wb = oc * n;
            for (int oy = 0; oy < lo.h(); oy++) {
                int orow = lo.index(oc, oy, 0);
                int irow = grp * ipg * li.plane() + (oy - g.padding() + li.pad()) * li.rowStride() - g.padding() + li.pad();
                for (int ox = 0; ox < lo.w(); ox += Vec.L) {
                    FloatVector acc = FloatVector.zero(Vec.S);
                    int base = irow + ox;
                    for (int q = 0; q < n; q++) {
                        acc = FloatVector.fromArray(Vec.S, in, base + rel[q]).fma(FloatVector.broadcast(Vec.S, w[wb + q]), acc);
                    }
                    acc.intoArray(spill, 0);
                    Vec.epilogue(spill, 0, 1, b, act, out, orow + ox, ox, lo.w());
                }
            }
        }
    }

    /** Strided convs: scalar, but one flat tap loop over precomputed offsets (no per-tap index arithmetic). */
    static void strided(float[] in, float[] out, float[] w, float[] bias, Geometry g, int[] rel, int act, int from,
                        int to) {
        Layout lo = g.lo();
        Layout li = g.li();
        int ipg = g.inPerGroup();
        int n = rel.length;
        int s = g.stride();
        for (int oc = from; oc < to; oc++) {
            int grp = oc / g.outPerGroup();
            int wb = oc * n;
            for (int oy = 0; oy < lo.h(); oy++) {
                int orow = lo.index(oc, oy, 0);
                int irow = grp * ipg * li.plane() + (oy * s - g.padding() + li.pad()) * li.rowStride() - g.padding()
                        + li.pad();
                for (int ox = 0; ox < lo.w(); ox++) {
                    int base = irow + ox * s;
                    float acc = 0f;
                    for (int q = 0; q < n; q++) {
                        acc += w[wb + q] * in[base + rel[q]];
                    }
                    out[orow + ox] = Vec.act(acc + bias[oc], act);
                }
            }
        }
    }

    /** Offset of every (ic in group, ky, kx) tap relative to the window's top-left input position. */
    public static int[] relativeOffsets(Geometry g) {
        Layout li = g.li();
        int[] rel = new int[g.inPerGroup() * g.kh() * g.kw()];
        int q = 0;
        for (int ic = 0; ic < g.inPerGroup(); ic++) {
            for (int ky = 0; ky < g.kh(); ky++) {
                for (int kx = 0; kx < g.kw(); kx++) {
                    rel[q++] = ic * li.plane() + ky * li.rowStride() + kx;
                }
            }
        }
        return rel;
    }
}
