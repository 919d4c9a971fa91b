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
     * Where output row oy of group grp starts reading: {@code grp * groupStride + origin + oy * rowStride}.
     * Stride 1 reads the input itself; stride s > 1 reads its {@link Phases} copy, where every tap of a
     * window row is again a contiguous run (JDK 17 has no fast strided load: gathers fall back to Java code).
     */
    public record Source(int groupStride, int rowStride, int origin) {
        public static Source of(Geometry g, Phases p) {
            if (p != null) {
                return new Source(g.inPerGroup() * p.channelStride(), p.w(), 0);
            }
            Layout li = g.li();
            int edge = li.pad() - g.padding();
            return new Source(g.inPerGroup() * li.plane(), li.rowStride(), edge * li.rowStride() + edge);
        }
    }

    /** Tap offsets for {@link #rows}: {@link #relativeOffsets} on the input, {@link Phases#offsets} on phases. */
    public static int[] offsets(Geometry g, Phases p) {
        return p == null ? relativeOffsets(g) : p.offsets(g);
    }

    /**
     * The vector path: one flat loop over (input channel, ky, kx) offsets per output vector (nested
     * variable loops make JDK 17's C2 box vector accumulators), reading from {@code at}. Four output
     * rows run together: four independent accumulator chains instead of one FMA-latency-bound chain (these layers are small,
     * often narrower than one vector, so rows are where the independent work is).
     */
    public static void rows(float[] src, float[] out, float[] w, float[] bias, Geometry g, int[] rel, Source at,
                            int act, int from, int to) {
        Layout lo = g.lo();
        int rowStride = at.rowStride();
        int n = rel.length;
        float[] spill = Vec.accumulators();
        for (int oc = from; oc < to; oc++) {
            float b = bias[oc];
            int wb = oc * n;
            int first = oc / g.outPerGroup() * at.groupStride() + at.origin();
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
    public record Phases(int s, int h, int w, int size, int[] runs) {
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
            int size = g.cin() * s * s * h * w + 2 * Vec.L + w;
            return new Phases(s, h, w, size, runs(g, s, h, w, used));
        }

        /**
         * (destination, source, count) per phase row: count values from source, source + s, ... Positions
         * outside the input (past its ring) are in no run: they stay at the buffer's initial zero.
         */
        private static int[] runs(Geometry g, int s, int h, int w, boolean[] used) {
            Layout li = g.li();
            int edge = li.pad() - g.padding();
            int rows = li.h() + 2 * li.pad();
            int cols = li.rowStride();
            java.util.List<int[]> runs = new java.util.ArrayList<>();
            for (int ic = 0; ic < li.c(); ic++) {
                for (int ph = 0; ph < s * s; ph++) {
                    if (!used[ph]) {
                        continue;
                    }
                    int px = ph % s;
                    int inside = Math.min(w, Math.max(0, (cols - edge - px + s - 1) / s));
                    for (int r = 0; r < h; r++) {
                        int y = edge + r * s + ph / s;
                        if (y < rows && inside > 0) {
                            int dst = ic * s * s * h * w + (ph * h + r) * w;
                            runs.add(new int[] {dst, ic * li.plane() + y * cols + edge + px, inside});
                        }
                    }
                }
            }
            return runs.stream().flatMapToInt(java.util.Arrays::stream).toArray();
        }

        public void fill(float[] in, float[] phased) {
            for (int r = 0; r < runs.length; r += 3) {
                int dst = runs[r];
                int src = runs[r + 1];
                for (int c = 0; c < runs[r + 2]; c++) {
                    phased[dst + c] = in[src + c * s];
                }
            }
        }

        public void fill(byte[] in, byte[] phased) {
            for (int r = 0; r < runs.length; r += 3) {
                int dst = runs[r];
                int src = runs[r + 1];
                for (int c = 0; c < runs[r + 2]; c++) {
                    phased[dst + c] = in[src + c * s];
                }
            }
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
