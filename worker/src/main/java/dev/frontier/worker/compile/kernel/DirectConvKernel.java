package dev.frontier.worker.compile.kernel;

import dev.frontier.worker.compile.Layout;
import jdk.incubator.vector.FloatVector;

/**
 * Any convolution (strided, grouped, depthwise, valid): per output row, a vector of output columns;
 * strided convs first copy their input into {@link Phases} so that their taps are contiguous too. The
 * input's zero ring must be at least the conv padding, so no tap is ever bounds-checked. Canonical
 * weights [cout][cin/groups][kh][kw]; work unit = one output channel.
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
     * Vector path for stride 1, straight on the input: the window of output (oy, ox..ox+L) is one
     * unaligned load per (input channel, ky, kx) offset.
     */
    public static void vector(float[] in, float[] out, float[] w, float[] bias, Geometry g, int[] rel, int act,
                              int from, int to) {
        Layout li = g.li();
        int edge = li.pad() - g.padding();
        rows(in, out, w, bias, g, rel, g.inPerGroup() * li.plane(), li.rowStride(), edge * li.rowStride() + edge, act,
                from, to);
    }

    /**
     * Vector path for stride s > 1 on the {@link Phases} copy of the input, where every tap of a
     * window row is again a contiguous run (JDK 17 has no fast strided load: gathers fall back to
     * Java code). {@code rel} = {@link Phases#offsets}.
     */
    public static void strided(float[] phased, float[] out, float[] w, float[] bias, Geometry g, Phases p, int[] rel,
                               int act, int from, int to) {
        rows(phased, out, w, bias, g, rel, g.inPerGroup() * p.channelStride(), p.w(), 0, act, from, to);
    }

    /**
     * One flat loop over (input channel, ky, kx) offsets per output vector (nested variable loops make
     * JDK 17's C2 box vector accumulators). Output row oy of group grp reads from
     * {@code grp * groupStride + origin + oy * rowStride} on. Four output rows run together: four
     * independent accumulator chains instead of one FMA-latency-bound chain (these layers are small,
     * often narrower than one vector, so rows are where the independent work is).
     */
    private static void rows(float[] src, float[] out, float[] w, float[] bias, Geometry g, int[] rel, int groupStride,
                             int rowStride, int origin, int act, int from, int to) {
        Layout lo = g.lo();
        int n = rel.length;
        float[] spill = Vec.accumulators();
        for (int oc = from; oc < to; oc++) {
            float b = bias[oc];
            int wb = oc * n;
            int first = oc / g.outPerGroup() * groupStride + origin;
            int oy = 0;
            for (; oy + 4 <= lo.h(); oy += 4) {
                for (int ox = 0; ox < lo.w(); ox += Vec.L) {
                    FloatVector a0 = FloatVector.zero(Vec.S), a1 = a0, a2 = a0, a3 = a0;
                    int base = first + oy * rowStride + ox;
                    for (int q = 0; q < n; q++) {
                        int o = base + rel[q];
                        FloatVector wq = FloatVector.broadcast(Vec.S, w[wb + q]);
                        a0 = FloatVector.fromArray(Vec.S, src, o).fma(wq, a0);
                        a1 = FloatVector.fromArray(Vec.S, src, o + rowStride).fma(wq, a1);
                        a2 = FloatVector.fromArray(Vec.S, src, o + 2 * rowStride).fma(wq, a2);
                        a3 = FloatVector.fromArray(Vec.S, src, o + 3 * rowStride).fma(wq, a3);
                    }
                    a0.intoArray(spill, 0);
                    a1.intoArray(spill, Vec.L);
                    a2.intoArray(spill, 2 * Vec.L);
                    a3.intoArray(spill, 3 * Vec.L);
                    for (int j = 0; j < 4; j++) {
                        Vec.epilogue(spill, j * Vec.L, 1, b, act, out, lo.index(oc, oy + j, ox), ox, lo.w());
                    }
                }
            }
            for (; oy < lo.h(); oy++) {
                for (int ox = 0; ox < lo.w(); ox += Vec.L) {
                    FloatVector acc = FloatVector.zero(Vec.S);
                    int base = first + oy * rowStride + ox;
                    for (int q = 0; q < n; q++) {
                        acc = FloatVector.fromArray(Vec.S, src, base + rel[q]).fma(FloatVector.broadcast(Vec.S, w[wb + q]), acc);
                    }
                    acc.intoArray(spill, 0);
                    Vec.epilogue(spill, 0, 1, b, act, out, lo.index(oc, oy, ox), ox, lo.w());
                }
            }
        }
    }

    /**
     * Polyphase form of a strided conv's input: per input channel, s x s planes of h x w where phase
     * (py, px) row r, column c holds the padded input at (r*s + py, c*s + px), counted from the conv's
     * top-left padding corner. Tap (ky, kx) of output (oy, ox) is then phase (ky % s, kx % s) at
     * (oy + ky / s, ox + kx / s): contiguous in ox. Only phases some tap reads are filled.
     */
    public record Phases(int s, int h, int w, boolean[] used, int size) {
        public int channelStride() {
            return s * s * h * w;
        }

        public static Phases of(Geometry g) {
            int s = g.stride();
            int h = g.lo().h() + (g.kh() - 1) / s;
            int w = g.lo().w() + (g.kw() - 1) / s;
            boolean[] used = new boolean[s * s];
            for (int ky = 0; ky < g.kh(); ky++) {
                for (int kx = 0; kx < g.kw(); kx++) {
                    used[(ky % s) * s + kx % s] = true;
                }
            }
            // vector lanes past the last output column read (and discard) up to L - 1 further values
            return new Phases(s, h, w, used, g.cin() * s * s * h * w + 2 * Vec.L + w);
        }

        /** Offset of every (ic in group, ky, kx) tap in the phased buffer, relative to the window's row start. */
        public int[] offsets(Geometry g) {
            int[] rel = new int[g.inPerGroup() * g.kh() * g.kw()];
            int q = 0;
            for (int ic = 0; ic < g.inPerGroup(); ic++) {
                for (int ky = 0; ky < g.kh(); ky++) {
                    for (int kx = 0; kx < g.kw(); kx++) {
                        rel[q++] = ic * channelStride() + (((ky % s) * s + kx % s) * h + ky / s) * w + kx / s;
                    }
                }
            }
            return rel;
        }

        /** Fills the used phases from the padded input (positions past the input's ring read as zero). */
        public void fill(float[] in, Layout li, int padding, float[] phased) {
            int edge = li.pad() - padding;
            int rows = li.h() + 2 * li.pad();
            int cols = li.rowStride();
            for (int ic = 0; ic < li.c(); ic++) {
                for (int ph = 0; ph < s * s; ph++) {
                    if (!used[ph]) {
                        continue;
                    }
                    int py = ph / s;
                    int px = ph % s;
                    int dst = ic * channelStride() + ph * h * w;
                    for (int r = 0; r < h; r++, dst += w) {
                        int y = edge + r * s + py;
                        int src = ic * li.plane() + y * cols + edge + px;
                        int inside = y < rows ? Math.min(w, Math.max(0, (cols - edge - px + s - 1) / s)) : 0;
                        for (int c = 0; c < inside; c++) {
                            phased[dst + c] = in[src + c * s];
                        }
                        java.util.Arrays.fill(phased, dst + inside, dst + w, 0f);
                    }
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
