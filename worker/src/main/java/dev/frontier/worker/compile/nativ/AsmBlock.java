package dev.frontier.worker.compile.nativ;

import java.util.Locale;

/**
 * One block of a sparse straight-line group (initial sums, every kept tap's multiply-accumulates, the
 * epilogue, stores) as one x86 AVX-512 inline-assembly statement (GNU syntax: gcc and clang). Written in
 * C, gcc ran out of the 32 vector registers (G x NV accumulators, NV inputs, weight broadcasts), re-read
 * every input vector from memory in each FMA that used it and added ~150 register copies per group
 * (~1.4 loads per FMA; demo VGG 8x conv2 0.027 -> 0.020 ms in assembly). Here the accumulators sit in
 * zmm0.. for the whole block, each input vector is loaded once into the registers after them and
 * shared by every channel of the group that keeps the tap. (Accumulators as asm operands do not work:
 * gcc allows 30 operands and an in-out operand counts twice.)
 * <p>Float: lanes are 16 positions of one channel plane, one FMA per kept weight. Int8: lanes are 16
 * positions of the [ic/4][position][4] u8 layout, one {@code vpdpbusd} per non-zero (4-channel quad, tap)
 * of a channel: 4 multiply-adds per lane, exact int32 sums, the same epilogue as the dense VNNI kernel.
 */
final class AsmBlock {
    enum Kind { FLOAT, INT8 }

    private static final int SIX = 30;
    private static final int ZERO = 31;
    private final Kind kind;
    private final int vectors;
    private final StringBuilder text = new StringBuilder();
    private final boolean embedded;
    /** Row-aligned blocks (see {@link SparseConvEmitter.Blocks#rows}): taps along a row are lane rotations. */
    private final boolean rows;
    /** Aligned blocks: NV + 1 aligned lines loaded, a tap's vectors shifted out of them ({@link #loadAligned}). */
    private final boolean aligned;
    /** Row and aligned blocks: the lane (from the block's start) of the lines loaded now (none: MIN_VALUE). */
    private int loadedBase = Integer.MIN_VALUE;
    /** Aligned blocks: where in its 64-byte line every block's first position sits (the same for all blocks). */
    private final int phase;
    /** The first block's first position in its plane: no line may be loaded before the plane starts. */
    private final int start;
    /** The input vectors' first register, right after the accumulators (row blocks: the unshifted row). */
    private final int firstInput;
    /** Registers the inputs take (loaded, and rotated or shifted), after firstInput; the broadcast temporaries follow. */
    private final int inputRegisters;
    /** Where the multiply-adds read their inputs now: the loaded vectors, or (row blocks) a rotation of them. */
    private int inputs;
    /** The rotation (lanes) the shifted registers hold for the row loaded now; 0 = none yet. */
    private int rotated;
    /** Byte offset of the table that the w register points at now. */
    private int tableBase;
    private int nextTemp;

    /** Code that runs fewer times per call is cold: fetching it costs more than its loads (see {@link #multiplyAdd}). */
    static boolean cold(int runs) {
        // 7 runs (14x14 planes) measured the same either way (8x conv3 0.0100 vs 0.0099 ms)
        return runs < 4;
    }

    /**
     * Whether weights are embedded broadcasts (see {@link #multiplyAdd}): in cold code, and in row blocks,
     * whose aligned loads leave the load ports room for them (demo VGG 8x conv3 / conv4, 14 x 14: 0.0093 /
     * 0.0191 ms with a broadcast register, 0.0076 / 0.0149 embedded; flattened 28 x 28 conv2, misaligned:
     * 0.0177 -> 0.021 ms embedded; aligned blocks, see {@link #loadAligned}).
     */
    static boolean embedded(SparseConvEmitter.Blocks b) {
        return cold(b.count()) || b.rows() || b.aligned() && EMBED_ALIGNED;
    }

    /** Off only to measure the difference (see {@link #loadAligned}). */
    private static final boolean EMBED_ALIGNED = !Boolean.getBoolean("frontier.native.noEmbedAligned");

    /** Registers the inputs take: the loaded vectors, and the rotated / shifted ones beside them. */
    private static int inputRegisters(SparseConvEmitter.Blocks b) {
        return b.rows() ? 2 * b.vectors() : b.aligned() ? 2 * b.vectors() + 1 : b.vectors();
    }

    /**
     * Output channels per group: as many as the registers hold (the more channels share a loaded input,
     * the fewer loads per multiply-add). Blocks with a broadcast register keep 4 temporaries (12 x 2
     * measured best in C: 10x2 0.114 ms, 14x2 0.110, 12x2 0.108), embedded ones need none (14 x 2; row
     * blocks hold the rotated inputs beside the loaded ones: 13 x 2).
     */
    static int channelsPerGroup(SparseConvEmitter.Blocks b) {
        return Math.max(1, (SIX - inputRegisters(b) - (embedded(b) ? 0 : 4)) / b.vectors());
    }

    /** {@code blocks}: how many times per call the block's code runs (see {@link #multiplyAdd}), row-aligned or not. */
    AsmBlock(Kind kind, int channels, SparseConvEmitter.Blocks blocks) {
        this.embedded = embedded(blocks);
        this.rows = blocks.rows();
        this.aligned = blocks.aligned();
        this.phase = Math.floorMod(blocks.start(), 16);
        this.start = blocks.start();
        this.vectors = blocks.vectors();
        this.inputRegisters = inputRegisters(blocks);
        // accumulators, the input vectors (and their rotation or shift), a broadcast temporary unless embedded
        if (channels * vectors + inputRegisters + (embedded ? 0 : 1) > SIX || vectors > 4) {
            throw new IllegalArgumentException("block of " + channels + "x" + vectors + " does not fit the registers");
        }
        this.firstInput = channels * vectors;
        this.inputs = firstInput;
        this.kind = kind;
    }

    private int acc(int channel, int v) {
        return channel * vectors + v;
    }

    /** Float: every accumulator of the channel starts at its bias (a weight-table entry). */
    void bias(int channel, int tableByteOffset) {
        line("vbroadcastss %d(%%[w]), %%%%zmm%d", tableByteOffset - tableBase, acc(channel, 0));
        for (int v = 1; v < vectors; v++) {
            line("vmovaps %%%%zmm%d, %%%%zmm%d", acc(channel, 0), acc(channel, v));
        }
    }

    /** Int8: the channel's sums start at zero. */
    void zero(int channel) {
        for (int v = 0; v < vectors; v++) {
            line("vpxord %%%%zmm%1$d, %%%%zmm%1$d, %%%%zmm%1$d", acc(channel, v));
        }
    }

    /** Loads the NV input vectors at this byte offset from the block's input pointer. */
    void load(int byteOffset) {
        for (int v = 0; v < vectors; v++) {
            line((kind == Kind.FLOAT ? "vmovups" : "vmovdqu32") + " %d(%%[s]), %%%%zmm%d", byteOffset + 64 * v, firstInput + v);
        }
        inputs = firstInput;
    }

    /**
     * Row blocks: loads one input row per vector (aligned: a misaligned 512-bit load crosses a cache line
     * and costs two, ~1.3 vs 0.6 cycles per FMA in a probe), unless it holds that row already, and makes the
     * unshifted row the inputs.
     */
    void loadRow(int byteOffset) {
        loadLines(Math.floorDiv(byteOffset, 4), vectors);
        inputs = firstInput;
    }

    /**
     * Loads {@code count} aligned lines from {@code lane} (relative to the block's first position) into the
     * input registers, unless they are the lines loaded last (then the rotations made of them are still good).
     */
    private void loadLines(int lane, int count) {
        if (lane == loadedBase) {
            return;
        }
        if (start + lane < 0) {
            // the first block's loads stay inside the plane's buffer (there is no guard before it)
            throw new IllegalStateException("aligned load " + lane + " lanes before a block at " + start);
        }
        for (int v = 0; v < count; v++) {
            line((kind == Kind.FLOAT ? "vmovaps" : "vmovdqa32") + " %d(%%[s]), %%%%zmm%d", 4 * lane + 64 * v, firstInput + v);
        }
        loadedBase = lane;
        rotated = 0;
    }

    /**
     * Aligned blocks (every block's first position at the same place in its line, {@code phase}; the buffers
     * and planes are 64-byte aligned): the tap's vectors start {@code m} lanes into an aligned line; the
     * NV + 1 lines from there are loaded (once for the taps that share them) and each vector is the
     * {@code valignd} of two neighbours. Misaligned 512-bit loads cross a cache line and
     * cost two: demo VGG 8x conv2 (28 x 28, rows of 30) 0.0200 -> 0.0182 ms, int8 + 8x conv5 (7 x 7)
     * 0.0081 -> 0.0073 (float conv5, cold code, unchanged), the same binary pairs timed
     * alternately (embedded weights; with a broadcast register 0.0170 vs 0.0160 in one bench run).
     */
    void loadAligned(int byteOffset) {
        int lane = phase + Math.floorDiv(byteOffset, 4);
        int base = Math.floorDiv(lane, 16) * 16;
        int m = lane - base;
        loadLines(base - phase, vectors + 1);
        if (m == 0) {
            inputs = firstInput;
            return;
        }
        if (rotated != m) {
            // AT&T order: valignd $m, low, high, dst -> dst lane L = (high:low)[L + m]
            for (int v = 0; v < vectors; v++) {
                line("valignd $%d, %%%%zmm%d, %%%%zmm%d, %%%%zmm%d", m, firstInput + v, firstInput + v + 1, firstInput + vectors + 1 + v);
            }
            rotated = m;
        }
        inputs = firstInput + vectors + 1;
    }

    /**
     * Row blocks: the inputs of a tap {@code dx} columns to the side are the loaded row rotated by dx lanes
     * ({@code valignd}, one per vector, once per row and dx). The lanes that wrap around land on ring columns,
     * which the masked stores never write.
     */
    void shift(int dx) {
        if (dx == 0) {
            inputs = firstInput;
            return;
        }
        int imm = Math.floorMod(dx, 16);
        if (rotated != imm) {
            for (int v = 0; v < vectors; v++) {
                line("valignd $%d, %%%%zmm%2$d, %%%%zmm%2$d, %%%%zmm%3$d", imm, firstInput + v, firstInput + vectors + v);
            }
            rotated = imm;
        }
        inputs = firstInput + vectors;
    }

    /**
     * Accumulates the loaded inputs times one weight of the table (a float, or 4 int8 codes) into one
     * channel. Table reads use 8-bit displacements (the table pointer moves along every 127 weights).
     * When the block's code runs many times per call (hot), the weight is broadcast once into a register
     * and used for all NV vectors: the fewest loads. When it runs once or twice (cold: a small plane),
     * every multiply-add takes the weight as an embedded broadcast, 7 bytes per weight and vector instead
     * of 7 + 6: what limits cold straight-line code is fetching it. Demo VGG 8x, conv5 (7x7, ~300 KB of
     * code run twice) 0.020 -> 0.014 ms embedded, conv2 (28x28, 27 runs) 0.0175 -> 0.021 ms.
     */
    void multiplyAdd(int channel, int tableByteOffset) {
        int rel = tableByteOffset - tableBase;
        if (rel < -512 || rel > 508) {
            int base = tableByteOffset + 508;
            line("add $%d, %%[w]", base - tableBase);
            tableBase = base;
            rel = tableByteOffset - base;
        }
        String op = kind == Kind.FLOAT ? "vfmadd231ps" : "vpdpbusd";
        if (embedded) {
            for (int v = 0; v < vectors; v++) {
                // AT&T order; int8: u8 inputs (the middle operand) times the s8 weights (the memory operand)
                line(op + " %d(%%[w])%%{1to16%%}, %%%%zmm%d, %%%%zmm%d", rel, inputs + v, acc(channel, v));
            }
            return;
        }
        // temporaries rotate so consecutive broadcasts do not wait on each other's readers
        int temp = firstInput + inputRegisters + nextTemp;
        nextTemp = (nextTemp + 1) % (SIX - firstInput - inputRegisters);
        line((kind == Kind.FLOAT ? "vbroadcastss" : "vpbroadcastd") + " %d(%%[w]), %%%%zmm%d", rel, temp);
        for (int v = 0; v < vectors; v++) {
            line(op + " %%%%zmm%d, %%%%zmm%d, %%%%zmm%d", temp, inputs + v, acc(channel, v));
        }
    }

    /**
     * Int8 epilogue of output channel {@code oc}: (float) (sum - comp[oc]) * sc[oc] + bias[oc], multiply and
     * add kept apart, exactly as the dense VNNI kernel and the JVM executor.
     */
    void dequantize(int channel, int oc) {
        for (int v = 0; v < vectors; v++) {
            int a = acc(channel, v);
            line("vpsubd %d(%%[cp])%%{1to16%%}, %%%%zmm%2$d, %%%%zmm%2$d", 4 * oc, a);
            line("vcvtdq2ps %%%%zmm%1$d, %%%%zmm%1$d", a);
            line("vmulps %d(%%[sc])%%{1to16%%}, %%%%zmm%2$d, %%%%zmm%2$d", 4 * oc, a);
            line("vaddps %d(%%[b])%%{1to16%%}, %%%%zmm%2$d, %%%%zmm%2$d", 4 * oc, a);
        }
    }

    /**
     * Activation (0 none, 1 ReLU, 2 ReLU6 with 6.0f at {@code sixByteOffset} of the table) and the stores of
     * one channel's vectors at this byte offset from the output pointer; the last vector goes through mask k1
     * ({@code maskLast}), or every vector (row blocks: k1 holds a row's interior lanes).
     */
    void store(int channel, int outByteOffset, int act, int sixByteOffset, boolean maskLast) {
        if (act >= 1 && channel == 0) {
            line("vxorps %%%%zmm%1$d, %%%%zmm%1$d, %%%%zmm%1$d", ZERO);
            if (act == 2) {
                line("vbroadcastss %d(%%[w]), %%%%zmm%d", sixByteOffset - tableBase, SIX);
            }
        }
        for (int v = 0; v < vectors; v++) {
            int a = acc(channel, v);
            if (act >= 1) {
                line("vmaxps %%%%zmm%d, %%%%zmm%2$d, %%%%zmm%2$d", ZERO, a);
            }
            if (act == 2) {
                line("vminps %%%%zmm%d, %%%%zmm%2$d, %%%%zmm%2$d", SIX, a);
            }
            boolean masked = rows || maskLast && v == vectors - 1;
            line("vmovups %%%%zmm%d, %d(%%[o])%s", a, outByteOffset + 64 * v, masked ? "%{%%k1%}" : "");
        }
    }

    /**
     * The statement; {@code operands} are the C expressions of the pointers it reads, by name: s (inputs),
     * w (weight table: a copy is moved along, the caller's pointer is not touched), o (outputs), m (last
     * vector's mask), and for int8 cp, sc, b. Everything else is clobbered.
     */
    String statement(String... operands) {
        StringBuilder sb = new StringBuilder("    {\n");
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < operands.length; i += 2) {
            if (operands[i].equals("w")) {
                sb.append("    const char *w_ = (const char *) (").append(operands[i + 1]).append(");\n");
                continue;
            }
            in.append(in.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "[%s] \"r\" (%s)", operands[i], operands[i + 1]));
        }
        sb.append("    __asm__ volatile(\n");
        sb.append("        \"kmovw %k[m], %%k1\\n\\t\"\n").append(text).append("        : [w] \"+r\" (w_)\n        : ").append(in);
        sb.append("\n        : ");
        for (int r = 0; r < 32; r++) {
            sb.append('"').append("xmm").append(r).append("\", ");
        }
        return sb.append("\"k1\", \"memory\");\n    }\n").toString();
    }

    private void line(String format, Object... args) {
        text.append("        \"").append(String.format(Locale.ROOT, format, args)).append("\\n\\t\"\n");
    }
}
