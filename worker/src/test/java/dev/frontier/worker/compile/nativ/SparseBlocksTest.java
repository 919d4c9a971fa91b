package dev.frontier.worker.compile.nativ;

import dev.frontier.worker.compile.Layout;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which blocks the sparse kernels walk a plane with (the kernels themselves: NativeModelTest on the demo VGG). */
class SparseBlocksTest {
    private static SparseConvEmitter.Blocks blocks(int h, int w) {
        Layout l = new Layout(8, h, w, 1);
        return SparseConvEmitter.Blocks.of(l, l, 3, 1);
    }

    @Test
    void rowsOfFourteenAreOneVectorEach() {
        SparseConvEmitter.Blocks b = blocks(14, 14);
        assertThat(b.mode()).isEqualTo(SparseConvEmitter.Blocks.Mode.ROWS);
        assertThat(b.start()).isEqualTo(16);
        assertThat(b.count()).isEqualTo(7);
        assertThat(b.lastMask()).as("interior lanes 1..14").isEqualTo(0x7FFE);
        assertThat(blocks(9, 14).count()).as("9 rows: the last block overlaps").isEqualTo(5);
    }

    @Test
    void otherStridesRunOnIntoTheRingInsteadOfSteppingBack() {
        SparseConvEmitter.Blocks b = blocks(28, 28);
        assertThat(b.mode()).isEqualTo(SparseConvEmitter.Blocks.Mode.ALIGNED);
        assertThat(b.start()).isEqualTo(new Layout(8, 28, 28, 1).interiorStart());
        assertThat(b.count()).isEqualTo(27);
        assertThat(b.end()).isEqualTo(b.start() + 27 * 32);
        assertThat(b.end() - new Layout(8, 28, 28, 1).interiorEnd()).as("within the ring after the last row").isLessThanOrEqualTo(31);
        SparseConvEmitter.Blocks small = blocks(7, 7);
        assertThat(small.mode()).isEqualTo(SparseConvEmitter.Blocks.Mode.ALIGNED);
        assertThat(small.count()).isEqualTo(2);
        // 5 x 5 (rows of 7): two blocks would run 31 positions past the interior, the ring after it is 8
        assertThat(blocks(5, 5).mode()).isEqualTo(SparseConvEmitter.Blocks.Mode.FLAT);
    }

    @Test
    void alignedBlocksTakeTheirInputsShiftedOutOfAlignedLines() {
        SparseConvEmitter.Blocks b = blocks(28, 28); // blocks start at 31 + 32 b: 15 lanes into a line
        AsmBlock asm = new AsmBlock(AsmBlock.Kind.FLOAT, AsmBlock.channelsPerGroup(b), b);
        asm.loadAligned(4 * 30);
        asm.loadAligned(4 * 31);
        asm.loadAligned(4 * 32);
        asm.loadAligned(4 * 33);
        String text = asm.statement("s", "in", "w", "w", "o", "out", "m", "0xFFFF");
        // lanes 15 + 30 .. 15 + 32 = 45 .. 47: the line at 32, 13 to 15 in; 48: the next line, unshifted
        assertThat(text).contains("vmovaps 68(%[s])").contains("vmovaps 132(%[s])").contains("vmovaps 196(%[s])")
                .contains("valignd $13,").contains("valignd $14,").contains("valignd $15,").doesNotContain("vmovups");
        assertThat(text.split("vmovaps", -1).length - 1).as("lines loaded once per line group").isEqualTo(6);
    }

    @Test
    void noLineIsLoadedBeforeThePlane() {
        SparseConvEmitter.Blocks b = blocks(28, 28);
        AsmBlock asm = new AsmBlock(AsmBlock.Kind.FLOAT, AsmBlock.channelsPerGroup(b), b);
        asm.loadAligned(4 * -31); // the first block's top-left tap of the first channel: the plane's first line
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> asm.loadAligned(4 * -32))
                .isInstanceOf(IllegalStateException.class);
    }
}
