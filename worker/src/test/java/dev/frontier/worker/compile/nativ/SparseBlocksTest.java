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
    void otherStridesAlignWhenThatCostsNoExtraVector() {
        SparseConvEmitter.Blocks b = blocks(28, 28);
        assertThat(b.mode()).isEqualTo(SparseConvEmitter.Blocks.Mode.ALIGNED);
        assertThat(b.start() % 16).isZero();
        assertThat(b.end() % 16).isZero();
        assertThat(b.start()).isLessThanOrEqualTo(31);
        assertThat(b.end()).isGreaterThanOrEqualTo(new Layout(8, 28, 28, 1).interiorEnd());
        assertThat(b.count()).isEqualTo(27);
        // 7 x 7: aligned would take 3 blocks of 2 vectors instead of 2
        assertThat(blocks(7, 7).mode()).isEqualTo(SparseConvEmitter.Blocks.Mode.FLAT);
        assertThat(blocks(7, 7).count()).isEqualTo(2);
    }

    @Test
    void alignedBlocksTakeTheirInputsShiftedOutOfAlignedLines() {
        SparseConvEmitter.Blocks b = blocks(28, 28);
        AsmBlock asm = new AsmBlock(AsmBlock.Kind.FLOAT, AsmBlock.channelsPerGroup(b), b);
        asm.loadAligned(4 * -31);
        asm.loadAligned(4 * -30);
        asm.loadAligned(4 * -32);
        String text = asm.statement("s", "in", "w", "w", "o", "out", "m", "0xFFFF");
        assertThat(text).contains("vmovaps -128(%[s])").contains("vmovaps -64(%[s])").contains("vmovaps 0(%[s])")
                .contains("valignd $1,").contains("valignd $2,").doesNotContain("vmovups");
        assertThat(text.split("vmovaps", -1).length - 1).as("three lines loaded once for the three taps").isEqualTo(3);
    }
}
