package dev.frontier.worker.compile.nativ;

import dev.frontier.worker.compile.Layout;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * Pattern / connectivity convolutions as straight-line code: the kept weights are immediates, every
 * tap offset a constant. Output channels are grouped (G at a time) so that channels keeping the same
 * (input channel, tap) share one load of NV input vectors; the vectors run over the flattened plane
 * (every tap is a constant offset from the output position, thanks to the zero ring), so the ring
 * columns between rows get garbage that is zeroed afterwards.
 * The weights are not immediates: a {@code _mm512_set1_ps(constant)} becomes a 64-byte vector in the
 * constant pool per weight (16x the bytes: an 8x conv4 group's pool overflowed L1 and the kernel ran at
 * ~27 % of peak). Each group reads a compact table in the order of use through a pointer argument, which
 * gcc cannot fold back into vectors (noipa), so every FMA takes its weight as a 4-byte embedded broadcast.
 */
final class SparseConvEmitter {
    /**
     * Output channels per group and vectors per block: G*NV accumulators + NV inputs + 1 weight <= 32.
     * Large groups win: the more channels share a loaded input vector, the fewer loads per FMA (the
     * kernel is load-bound). Demo VGG 8x, conv layers, 1 thread, load ~3 (p10 of the whole model):
     * 4x5 0.33 ms, 6x4 0.21, 8x3 0.13, 16x1 0.19, 10x2 0.114, 14x2 0.110, 12x2 0.108.
     */
    static final int GROUP = Integer.getInteger("frontier.native.sparseGroup", 12);
    static final int VECTORS = Integer.getInteger("frontier.native.sparseVectors", 2);

    private SparseConvEmitter() {
    }

    /** Emits the group functions (before the layer function) and returns the layer body's vector part. */
    static String emit(StringBuilder sb, String fn, NativeOps.Conv c, Layout li, Layout lo) {
        int k = c.kh();
        int k2 = k * k;
        float[] w = c.w();
        List<BitSet> taps = new ArrayList<>();
        for (int oc = 0; oc < c.cout(); oc++) {
            BitSet s = new BitSet();
            for (int i = 0; i < c.cin() * k2; i++) {
                if (w[oc * c.cin() * k2 + i] != 0f) {
                    s.set(i);
                }
            }
            taps.add(s);
        }
        int[] order = c.sparse() != null ? c.sparse().order() : java.util.stream.IntStream.range(0, c.cout()).toArray();
        List<int[]> groups = group(taps, order);
        StringBuilder body = new StringBuilder();
        for (int gi = 0; gi < groups.size(); gi++) {
            String g = fn + "_g" + gi;
            groupFunction(sb, g, groups.get(gi), taps, c, li, lo);
            body.append("    ").append(g).append("(in, out, ").append(g).append("_w);\n");
        }
        body.append(String.format(Locale.ROOT, "    fr_zero_ring_cols(out, %s, 0, %d);%n", CText.layout(lo), c.cout()));
        return body.toString();
    }

    /**
     * One group's function (not inlined: gcc compiles many small functions far faster than one huge
     * one). One instantiation of the block: full blocks of VECTORS vectors over the flattened interior,
     * the last one shifted back to end exactly at the interior's end (recomputing a few positions is
     * cheaper than a second, masked copy of the code); a plane shorter than a block takes one masked block.
     */
    private static void groupFunction(StringBuilder sb, String g, int[] ocs, List<BitSet> taps, NativeOps.Conv c,
                                      Layout li, Layout lo) {
        int k = c.kh();
        int k2 = k * k;
        int start = lo.interiorStart();
        int end = lo.interiorEnd();
        int n = end - start;
        int nv;
        int blocks;
        int lastMask = 0xFFFF;
        if (n >= 16 * VECTORS) {
            nv = VECTORS;
            blocks = (n + 16 * nv - 1) / (16 * nv);
        } else {
            nv = (n + 15) / 16;
            blocks = 1;
            lastMask = n % 16 == 0 ? 0xFFFF : (1 << (n % 16)) - 1;
        }
        StringBuilder code = new StringBuilder();
        List<Float> table = new ArrayList<>();
        code.append("static FR_NOIPA void ").append(g)
                .append("(const float *restrict in, float *restrict out, const float *restrict wt) {\n");
        code.append(String.format(Locale.ROOT, "    enum { NV = %d };%n    const __mmask16 last = 0x%X;%n", nv, lastMask));
        code.append(String.format(Locale.ROOT, "    for (int b = 0; b < %d; b++) {%n", blocks));
        code.append(String.format(Locale.ROOT, "    const int p0 = %d + b * %d, p = p0 < %d ? p0 : %d;%n", start, 16 * nv,
                end - 16 * nv, Math.max(start, end - 16 * nv)));
        code.append(String.format(Locale.ROOT, "    const float *s_ = in + p; __m512 x_[NV]; __m512 a_[%d][NV]; (void) s_; (void) x_;%n", ocs.length));
        for (int j = 0; j < ocs.length; j++) {
            code.append(String.format(Locale.ROOT,
                    "    { const __m512 b_ = _mm512_set1_ps(wt[%d]); _Pragma(\"GCC unroll 16\") for (int v_ = 0; v_ < NV; v_++) a_[%d][v_] = b_; }%n",
                    table.size(), j));
            table.add(c.bias()[ocs[j]]);
        }
        BitSet union = new BitSet();
        for (int oc : ocs) {
            union.or(taps.get(oc));
        }
        for (int i = union.nextSetBit(0); i >= 0; i = union.nextSetBit(i + 1)) {
            int ic = i / k2;
            int t = i % k2;
            int off = ic * li.plane() + (t / k - c.padding()) * li.rowStride() + (t % k - c.padding());
            code.append("    FR_SP_LOAD(").append(off).append(')');
            for (int j = 0; j < ocs.length; j++) {
                if (taps.get(ocs[j]).get(i)) {
                    code.append(" FR_SP_FMA(").append(j).append(", wt[").append(table.size()).append("])");
                    table.add(c.w()[ocs[j] * c.cin() * k2 + i]);
                }
            }
            code.append('\n');
        }
        for (int j = 0; j < ocs.length; j++) {
            code.append(String.format(Locale.ROOT, "    fr_store_row(out + %d + p, a_[%d], NV, last, %d);%n",
                    ocs[j] * lo.plane(), j, c.h().act()));
        }
        float[] w = new float[table.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = table.get(i);
        }
        CText.floatArray(sb, g + "_w", w);
        sb.append(code);
        sb.append("    }\n}\n");
    }

    /**
     * Greedy grouping: start from the next channel in the plan's order (equal pattern sets sit together)
     * and add the channels that share the most (ic, tap) pairs with the group so far.
     */
    static List<int[]> group(List<BitSet> taps, int[] order) {
        List<Integer> left = new ArrayList<>();
        for (int oc : order) {
            left.add(oc);
        }
        List<int[]> groups = new ArrayList<>();
        while (!left.isEmpty()) {
            List<Integer> g = new ArrayList<>();
            int first = left.remove(0);
            BitSet union = (BitSet) taps.get(first).clone();
            g.add(first);
            while (g.size() < GROUP && !left.isEmpty()) {
                int best = 0;
                int bestShared = -1;
                for (int i = 0; i < left.size(); i++) {
                    BitSet s = (BitSet) taps.get(left.get(i)).clone();
                    s.and(union);
                    if (s.cardinality() > bestShared) {
                        bestShared = s.cardinality();
                        best = i;
                    }
                }
                int oc = left.remove(best);
                union.or(taps.get(oc));
                g.add(oc);
            }
            groups.add(g.stream().mapToInt(Integer::intValue).toArray());
        }
        return groups;
    }
}
