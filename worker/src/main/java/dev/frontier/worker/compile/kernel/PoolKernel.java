package dev.frontier.worker.compile.kernel;

import dev.frontier.worker.compile.Layout;
import jdk.incubator.vector.FloatVector;

/** Max / average pooling (padded positions count as zeros in averages) and global average pooling. */
public final class PoolKernel {
    private PoolKernel() {
    }

    public static void scalar(float[] in, float[] out, Layout li, Layout lo, int k, int stride, int pad, boolean max,
                              int from, int to) {
        float inv = 1f / (k * k);
        for (int c = from; c < to; c++) {
            for (int oy = 0; oy < lo.h(); oy++) {
                for (int ox = 0; ox < lo.w(); ox++) {
                    float acc = max ? Float.NEGATIVE_INFINITY : 0f;
                    for (int ky = 0; ky < k; ky++) {
                        int iy = oy * stride - pad + ky;
                        for (int kx = 0; kx < k; kx++) {
                            int ix = ox * stride - pad + kx;
                            boolean inside = iy >= 0 && iy < li.h() && ix >= 0 && ix < li.w();
                            if (max) {
                                if (inside) {
                                    acc = Math.max(acc, in[li.index(c, iy, ix)]);
                                }
                            } else if (inside) {
                                acc += in[li.index(c, iy, ix)];
                            }
                        }
                    }
                    out[lo.index(c, oy, ox)] = max ? acc : acc * inv;
                }
            }
        }
    }

    /** Vector form; max pooling with padding needs bounds checks and takes the scalar path. */
    /** Window offsets relative to its top-left input position (precomputed once per bound op). */
    public static int[] window(Layout li, int k) {
        int[] rel = new int[k * k];
        for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
                rel[ky * k + kx] = ky * li.rowStride() + kx;
            }
        }
        return rel;
    }

    public static void vector(float[] in, float[] out, Layout li, Layout lo, int k, int stride, int pad, boolean max,
                              int[] rel, int from, int to) {
        if (max && pad > 0 || li.pad() < pad) {
            scalar(in, out, li, lo, k, stride, pad, max, from, to);
            return;
        }
        if (max && k == 2 && stride == 2) {
            // strided gathers are slow on JDK 17 and a 2x2 window is 3 max ops: a tight unchecked loop wins
            maxPool2x2(in, out, li, lo, from, to);
            return;
        }
        if (stride != 1) {
            // no fast strided vector load on JDK 17
            scalar(in, out, li, lo, k, stride, pad, max, from, to);
            return;
        }
        float inv = 1f / (k * k);
        float[] spill = Vec.accumulators();
        for (int c = from; c < to; c++) {
            for (int oy = 0; oy < lo.h(); oy++) {
                int orow = lo.index(c, oy, 0);
                int irow = c * li.plane() + (oy - pad + li.pad()) * li.rowStride() - pad + li.pad();
                for (int ox = 0; ox < lo.w(); ox += Vec.L) {
                    FloatVector acc = FloatVector.broadcast(Vec.S, max ? Float.NEGATIVE_INFINITY : 0f);
                    for (int q = 0; q < rel.length; q++) {
                        FloatVector x = FloatVector.fromArray(Vec.S, in, irow + ox + rel[q]);
                        acc = max ? acc.max(x) : acc.add(x);
                    }
                    if (!max) {
                        acc = acc.mul(inv);
                    }
                    acc.intoArray(spill, 0);
                    Vec.epilogue(spill, 0, 1, 0f, Vec.NONE, out, orow + ox, ox, lo.w());
                }
            }
        }
    }

    static void maxPool2x2(float[] in, float[] out, Layout li, Layout lo, int from, int to) {
        int rs = li.rowStride();
        for (int c = from; c < to; c++) {
            for (int oy = 0; oy < lo.h(); oy++) {
                int i0 = li.index(c, 2 * oy, 0);
                int o = lo.index(c, oy, 0);
                for (int ox = 0; ox < lo.w(); ox++, i0 += 2) {
                    out[o + ox] = Math.max(Math.max(in[i0], in[i0 + 1]), Math.max(in[i0 + rs], in[i0 + rs + 1]));
                }
            }
        }
    }

    public static void globalScalar(float[] in, float[] out, Layout li, int from, int to) {
        float inv = 1f / (li.h() * li.w());
        for (int c = from; c < to; c++) {
            float s = 0f;
            for (int y = 0; y < li.h(); y++) {
                for (int x = 0; x < li.w(); x++) {
                    s += in[li.index(c, y, x)];
                }
            }
            out[c] = s * inv;
        }
    }

    /** Sums the flattened interior range: the pad columns inside it are zero, so they add nothing. */
    public static void globalVector(float[] in, float[] out, Layout li, int from, int to) {
        float inv = 1f / (li.h() * li.w());
        int start = li.interiorStart();
        int end = li.interiorEnd();
        for (int c = from; c < to; c++) {
            int base = c * li.plane();
            FloatVector acc = FloatVector.zero(Vec.S);
            int p = start;
            for (; p + Vec.L <= end; p += Vec.L) {
                acc = acc.add(FloatVector.fromArray(Vec.S, in, base + p));
            }
            if (p < end) {
                acc = acc.add(FloatVector.fromArray(Vec.S, Vec.partial(in, base + p, end - p), 0));
            }
            out[c] = acc.reduceLanes(jdk.incubator.vector.VectorOperators.ADD) * inv;
        }
    }
}
