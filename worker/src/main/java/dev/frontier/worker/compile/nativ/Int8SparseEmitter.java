package dev.frontier.worker.compile.nativ;

import dev.frontier.worker.compile.Layout;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Int8 pattern / connectivity convolutions that skip what was pruned: straight-line {@code vpdpbusd} per
 * group of output channels, lanes = 16 positions of the quantized input ([ic/4][position][4] u8, the
 * dense VNNI kernel's layout), one instruction per non-zero (4-input-channel quad, tap) of a channel with
 * its 4 codes as one broadcast dword. A quad with only some of its 4 codes kept still multiplies the
 * zeros beside them (the instruction is 4 wide); an all-zero quad costs nothing. At 8x on the demo VGG
 * ~41 % of a channel's (quad, tap) dwords are non-zero. Grouping, blocks and the flattened plane are the
 * float sparse kernel's ({@link SparseConvEmitter}); sums are exact, so outputs stay bit-identical to the
 * JVM executor and the dense kernel.
 */
final class Int8SparseEmitter {
    /** Above this fraction of non-zero (channel, quad, tap) dwords the dense VNNI kernel wins (see BENCHMARK.md). */
    static final double MAX_DENSITY = Double.parseDouble(System.getProperty("frontier.native.int8SparseDensity", "0.5"));
    private Int8SparseEmitter() {
    }

    static boolean applies(NativeOps.Int8Conv c) {
        return c.sparse() && !Int8Emitter.im2col(c) && density(quadTaps(c)) <= MAX_DENSITY;
    }

    /** Per output channel, the set of (quad, tap) = quad * k2 + tap whose dword has a non-zero code. */
    static List<BitSet> quadTaps(NativeOps.Int8Conv c) {
        int k2 = c.k() * c.k();
        List<BitSet> sets = new ArrayList<>();
        for (int oc = 0; oc < c.cout(); oc++) {
            BitSet s = new BitSet();
            for (int ic = 0; ic < c.cin(); ic++) {
                for (int t = 0; t < k2; t++) {
                    if (c.codes()[(oc * c.cin() + ic) * k2 + t] != 0) {
                        s.set(ic / 4 * k2 + t);
                    }
                }
            }
            sets.add(s);
        }
        return sets;
    }

    static double density(List<BitSet> sets) {
        if (sets.isEmpty()) {
            return 1;
        }
        long kept = sets.stream().mapToLong(BitSet::cardinality).sum();
        return kept / (double) sets.size() / Math.max(1, sets.stream().mapToInt(BitSet::length).max().orElse(1));
    }

    /**
     * Emits the group functions and their tables into {@code data} (inside the layer's FR_VNNI section) and
     * returns the layer body's calls; {@code q} holds the quantized input, {@code sc} the per-channel scales.
     */
    static String emit(StringBuilder data, String fn, NativeOps.Int8Conv c, Layout li, Layout lo) {
        List<BitSet> sets = quadTaps(c);
        SparseConvEmitter.Blocks blocks = SparseConvEmitter.Blocks.of(li, lo, c.k(), c.pad());
        int size = AsmBlock.channelsPerGroup(blocks);
        return SparseConvEmitter.layerBody(fn, SparseConvEmitter.group(sets, IntStream.range(0, c.cout()).toArray(), size), blocks, lo,
                (g, ocs) -> {
                    groupFunction(data, g, ocs, sets, c, li, lo);
                    return String.format(Locale.ROOT, "    %s(q, out, %s_w, sc, %s_b, %s_comp);%n", g, g, fn, fn);
                });
    }

    private static void groupFunction(StringBuilder sb, String g, int[] ocs, List<BitSet> sets, NativeOps.Int8Conv c,
                                      Layout li, Layout lo) {
        int k = c.k();
        int k2 = k * k;
        SparseConvEmitter.Blocks blocks = SparseConvEmitter.Blocks.of(li, lo, k, c.pad());
        List<Integer> table = new ArrayList<>();
        AsmBlock asm = new AsmBlock(AsmBlock.Kind.INT8, ocs.length, blocks);
        for (int j = 0; j < ocs.length; j++) {
            asm.zero(j);
        }
        SparseConvEmitter.units(asm, ocs, sets, blocks.loader(asm, li, k, c.pad()),
                (oc, i) -> {
                    table.add(dword(c, oc, i / k2, i % k2));
                    return (table.size() - 1) * 4;
                });
        int six = table.size() * 4;
        table.add(Float.floatToIntBits(6f));
        for (int j = 0; j < ocs.length; j++) {
            asm.dequantize(j, ocs[j]);
            asm.store(j, ocs[j] * lo.plane() * 4, c.h().act(), six, blocks.masked());
        }
        sb.append("static const int32_t ").append(g).append("_w[").append(table.size()).append("] __attribute__((aligned(64))) = {");
        for (int i = 0; i < table.size(); i++) {
            sb.append(i % 12 == 0 ? "\n    " : "").append(table.get(i)).append(',');
        }
        sb.append("\n};\n");
        sb.append("static FR_NOIPA void ").append(g).append("(const uint8_t *restrict q, float *restrict out, ")
                .append("const int32_t *restrict wt, const float *restrict sc, const float *restrict bias, const int32_t *restrict cp) {\n");
        sb.append(blocks.loopHead());
        sb.append(asm.statement("s", "q + (size_t) p * 4", "w", "wt", "o", "out + p", "m",
                String.format(Locale.ROOT, "0x%X", blocks.lastMask()), "cp", "cp", "sc", "sc", "b", "bias"));
        sb.append("    }\n}\n");
    }

    /** The 4 codes of input channels 4*quad..4*quad+3 at one tap, byte j = channel 4*quad+j (zero past cin). */
    private static int dword(NativeOps.Int8Conv c, int oc, int quad, int tap) {
        int k2 = c.k() * c.k();
        int d = 0;
        for (int j = 0; j < 4; j++) {
            int ic = quad * 4 + j;
            if (ic < c.cin()) {
                d |= (c.codes()[(oc * c.cin() + ic) * k2 + tap] & 0xFF) << (8 * j);
            }
        }
        return d;
    }
}
