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
     * Vectors per block (output channels per group: {@link AsmBlock#channelsPerGroup}). Large groups win:
     * the more channels share a loaded input vector, the fewer loads per FMA. Demo VGG 8x, conv layers,
     * 1 thread, load ~3 (p10 of the whole model), C kernels: 4x5 0.33 ms, 6x4 0.21, 8x3 0.13, 16x1 0.19,
     * 12x2 0.108; assembly: 6x4 0.118, 8x3 0.108, 12x2 0.097.
     */
    static final int VECTORS = Integer.getInteger("frontier.native.sparseVectors", 2);
    /** Row-aligned blocks where the geometry allows them ({@link Blocks}); off only to measure the difference. */
    static final boolean ROWS = !Boolean.getBoolean("frontier.native.noRowBlocks");
    /** Aligned blocks where they cost no extra vectors ({@link Blocks}); off only to measure the difference. */
    static final boolean ALIGNED = !Boolean.getBoolean("frontier.native.noAlignedBlocks");

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
        Blocks blocks = Blocks.of(li, lo, k, c.padding());
        return layerBody(fn, group(taps, order, AsmBlock.channelsPerGroup(blocks)), blocks, lo, (g, ocs) -> {
            groupFunction(sb, g, ocs, taps, c, li, lo);
            return "    " + g + "(in, out, " + g + "_w);\n";
        });
    }

    /**
     * The layer body: one call per group ({@code function} emits the group's function named by its first
     * argument and returns the call), then the ring columns the flattened blocks overwrote are zeroed again
     * (row blocks store interior lanes only).
     */
    static String layerBody(String fn, List<int[]> groups, Blocks blocks, Layout lo,
                            java.util.function.BiFunction<String, int[], String> function) {
        StringBuilder body = new StringBuilder();
        for (int gi = 0; gi < groups.size(); gi++) {
            body.append(function.apply(fn + "_g" + gi, groups.get(gi)));
        }
        if (!blocks.rows()) {
            body.append(String.format(Locale.ROOT, "    fr_zero_ring_cols(out, %s, 0, %d);%n", CText.layout(lo), lo.c()));
        }
        if (blocks.aligned() && blocks.end() > lo.interiorEnd()) {
            // the aligned blocks ran on into the ring after the last interior row
            body.append(String.format(Locale.ROOT, "    for (int c = 0; c < %d; c++) memset(out + (size_t) c * %d + %d, 0, %d);%n",
                    lo.c(), lo.plane(), lo.interiorEnd(), 4 * (blocks.end() - lo.interiorEnd())));
        }
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
        Blocks blocks = Blocks.of(li, lo, k, c.padding());
        int nv = blocks.vectors();
        int lastMask = blocks.lastMask();
        StringBuilder code = new StringBuilder();
        List<Float> table = new ArrayList<>();
        code.append("static FR_NOIPA void ").append(g)
                .append("(const float *restrict in, float *restrict out, const float *restrict wt) {\n");
        code.append(blocks.loopHead());
        AsmBlock asm = new AsmBlock(AsmBlock.Kind.FLOAT, ocs.length, blocks);
        for (int j = 0; j < ocs.length; j++) {
            asm.bias(j, table.size() * 4);
            table.add(c.bias()[ocs[j]]);
        }
        units(asm, ocs, taps, blocks.loader(asm, li, k, c.padding()),
                (oc, i) -> {
                    table.add(c.w()[oc * c.cin() * k2 + i]);
                    return (table.size() - 1) * 4;
                });
        int six = table.size() * 4;
        table.add(6f);
        for (int j = 0; j < ocs.length; j++) {
            asm.store(j, ocs[j] * lo.plane() * 4, c.h().act(), six, blocks.masked());
        }
        code.append(asm.statement("s", "in + p", "w", "wt", "o", "out + p", "m", String.format(Locale.ROOT, "0x%X", lastMask)));
        float[] w = new float[table.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = table.get(i);
        }
        CText.floatArray(sb, g + "_w", w);
        sb.append(code);
        sb.append("    }\n}\n");
    }

    /**
     * Byte offset, from an output position, of unit {@code i} = channel * k2 + tap of a "same" k x k conv
     * over the flattened plane ({@code channel} is an input channel, or a quad of them for int8: one
     * 4-byte slot per position either way).
     */
    static java.util.function.IntUnaryOperator tapOffset(Layout li, int k, int pad) {
        int k2 = k * k;
        return i -> 4 * (i / k2 * li.plane() + (i % k2 / k - pad) * li.rowStride() + (i % k2 % k - pad));
    }

    /** Where a channel's weight for a unit sits: appends it to the group's table and returns its byte offset. */
    interface Weights {
        int add(int oc, int unit);
    }

    /**
     * The group's straight-line body: every unit (index in the channels' sets) that some channel of the
     * group keeps is one load of its input vectors ({@code load}), then one multiply-add per channel that keeps it.
     */
    static void units(AsmBlock asm, int[] ocs, List<BitSet> sets, java.util.function.IntConsumer load, Weights weights) {
        BitSet union = new BitSet();
        for (int oc : ocs) {
            union.or(sets.get(oc));
        }
        for (int i = union.nextSetBit(0); i >= 0; i = union.nextSetBit(i + 1)) {
            load.accept(i);
            for (int j = 0; j < ocs.length; j++) {
                if (sets.get(ocs[j]).get(i)) {
                    asm.multiplyAdd(j, weights.add(ocs[j], i));
                }
            }
        }
    }

    /**
     * How a group's code walks the flattened interior of the output plane: {@code count} blocks of
     * {@code vectors} x 16 positions starting at {@code start}, the last one shifted back to end exactly at
     * {@code end}; a plane shorter than one block of VECTORS vectors is one block whose last vector is masked.
     * <p>Row blocks ({@code rows}): when a padded row is exactly one vector (rows of 14 with a ring of 1),
     * every vector is one whole row, so every load is aligned (the buffers and planes are 64-byte aligned),
     * the taps beside the centre are lane rotations of the loaded row, and the stores are masked to the
     * row's interior ({@code lastMask} then applies to every vector). Demo VGG 8x conv3/conv4 (14 x 14).
     */
    record Blocks(int start, int end, int vectors, int count, int lastMask, Mode mode) {
        /** Flattened (unaligned loads), row blocks, or aligned blocks over any row stride. */
        enum Mode { FLAT, ROWS, ALIGNED }

        static Blocks of(Layout li, Layout lo, int k, int pad) {
            boolean same = li.plane() == lo.plane() && li.rowStride() == lo.rowStride() && k % 2 == 1 && pad == k / 2
                    && lo.pad() >= pad && li.pad() >= pad;
            if (ROWS && same && lo.rowStride() == 16) {
                int nv = Math.min(VECTORS, lo.h());
                int start = lo.pad() * 16;
                return new Blocks(start, start + lo.h() * 16, nv, (lo.h() + nv - 1) / nv, ((1 << lo.w()) - 1) << lo.pad(), Mode.ROWS);
            }
            int start = lo.interiorStart();
            int end = lo.interiorEnd();
            int n = end - start;
            if (n >= 16 * VECTORS) {
                int count = (n + 16 * VECTORS - 1) / (16 * VECTORS);
                // aligned blocks run on past the interior instead of stepping back, as far as the ring
                // after it reaches (further would write into the next channel's plane)
                int past = count * 16 * VECTORS - n;
                if (ALIGNED && same && past <= lo.pad() * lo.rowStride() + lo.pad()) {
                    return new Blocks(start, start + count * 16 * VECTORS, VECTORS, count, 0xFFFF, Mode.ALIGNED);
                }
                return new Blocks(start, end, VECTORS, count, 0xFFFF, Mode.FLAT);
            }
            return new Blocks(start, end, (n + 15) / 16, 1, n % 16 == 0 ? 0xFFFF : (1 << (n % 16)) - 1, Mode.FLAT);
        }

        boolean rows() {
            return mode == Mode.ROWS;
        }

        boolean aligned() {
            return mode == Mode.ALIGNED;
        }

        /** Whether the last vector of a block (row blocks: every vector) stores through mask k1. */
        boolean masked() {
            return rows() || lastMask != 0xFFFF;
        }

        /**
         * What loading unit {@code i} (= channel * k2 + tap, channel an input channel or an int8 quad) emits:
         * the tap's vectors at their flattened offset, or (row blocks) the tap's row once, rotated per column.
         */
        java.util.function.IntConsumer loader(AsmBlock asm, Layout li, int k, int pad) {
            java.util.function.IntUnaryOperator offset = tapOffset(li, k, pad);
            return switch (mode) {
                case FLAT -> i -> asm.load(offset.applyAsInt(i));
                case ALIGNED -> i -> asm.loadAligned(offset.applyAsInt(i));
                case ROWS -> i -> {
                    int dx = i % k - pad;
                    asm.loadRow(offset.applyAsInt(i) - 4 * dx);
                    asm.shift(dx);
                };
            };
        }

        /** Opens the loop over blocks; the body sees {@code p}, the block's first position. */
        String loopHead() {
            return String.format(Locale.ROOT, "    for (int b = 0; b < %d; b++) {%n    const int p0 = %d + b * %d, p = p0 < %d ? p0 : %d;%n",
                    count, start, 16 * vectors, end - 16 * vectors, Math.max(start, end - 16 * vectors));
        }
    }

    /**
     * Greedy grouping: start from the next channel in the plan's order (equal pattern sets sit together)
     * and add the channels that share the most (ic, tap) pairs with the group so far.
     */
    static List<int[]> group(List<BitSet> taps, int[] order, int size) {
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
            while (g.size() < size && !left.isEmpty()) {
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
