package dev.frontier.worker.compress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Mask;
import dev.frontier.worker.model.Tensor;
import dev.frontier.worker.model.Zoo;

class MaskSchemesTest {

    @Test
    void connectivityRemovesExactlyRoundedRateKernelsOfTheSmallestNorm() {
        Graph g = Zoo.resnet(2, 10);
        for (double rate : new double[] {0.1, 0.33, 0.5, 0.9}) {
            Graph c = new ConnectivityPruning().apply(g, g.node("block2.conv2"), new PruneSpec.Connectivity(rate));
            Mask m = c.mask("block2.conv2.weight");
            float[] w = g.param("block2.conv2.weight").data();
            int kernels = m.size() / 9;
            int removed = 0;
            double maxRemoved = 0;
            double minKept = Double.MAX_VALUE;
            for (int k = 0; k < kernels; k++) {
                int kept = 0;
                for (int i = 0; i < 9; i++) {
                    kept += m.kept(k * 9 + i) ? 1 : 0;
                }
                assertThat(kept).isIn(0, 9);
                double e = PatternLibrary.energy(w, k * 9, 511);
                if (kept == 0) {
                    removed++;
                    maxRemoved = Math.max(maxRemoved, e);
                } else {
                    minKept = Math.min(minKept, e);
                }
            }
            assertThat(removed).isEqualTo(Math.round(rate * kernels));
            assertThat(maxRemoved).isLessThanOrEqualTo(minKept);
            assertThat(c.param("block2.conv2.weight").countNonZero()).isEqualTo(m.keptCount());
        }
        // a 1x1 conv: kernels are single weights
        Graph c = new ConnectivityPruning().apply(g, g.node("block2.proj"), new PruneSpec.Connectivity(0.5));
        assertThat(c.mask("block2.proj.weight").keptCount()).isEqualTo(32 * 16 / 2);
    }

    @Test
    void blockKeepsTheSameNumberOfWholeColumnsInEveryBlockIncludingEdges() {
        Graph g = Zoo.lenet5(4, 10); // fc2 is 84 x 120: blocks of 5 x 16 leave a 4-row and an 8-column edge
        PruneSpec.Block spec = new PruneSpec.Block(0.75, 5, 16, false);
        Graph c = new BlockPruning().apply(g, g.node("fc2"), spec);
        Mask m = c.mask("fc2.weight");
        int rows = 84;
        int cols = 120;
        for (int r0 = 0; r0 < rows; r0 += 5) {
            int br = Math.min(5, rows - r0);
            for (int c0 = 0; c0 < cols; c0 += 16) {
                int bc = Math.min(16, cols - c0);
                int keptCols = 0;
                for (int col = c0; col < c0 + bc; col++) {
                    int keptInCol = 0;
                    for (int r = r0; r < r0 + br; r++) {
                        keptInCol += m.kept(r * cols + col) ? 1 : 0;
                    }
                    assertThat(keptInCol).as("whole columns").isIn(0, br);
                    keptCols += keptInCol == br ? 1 : 0;
                }
                assertThat(keptCols).isEqualTo(bc - Math.round(0.75 * bc)).isEqualTo(BlockPruning.keptLines(0.75, bc));
            }
        }
        assertThat(BlockPruning.keptLines(0.75, 16)).isEqualTo(4);
        assertThat(BlockPruning.keptLines(0.75, 8)).isEqualTo(2);
    }

    @Test
    void blockOnAConvSeenAsAMatrixAndAlongRows() {
        Graph g = Zoo.vgg(4, 10);
        // conv3: 64 x (32*9 = 288) ; rows along a block of 8 x 32 (64 % 8 == 0, 288 % 32 == 0)
        Graph c = new BlockPruning().apply(g, g.node("conv3"), new PruneSpec.Block(0.5, 8, 32, true));
        Mask m = c.mask("conv3.weight");
        int cols = 288;
        for (int r0 = 0; r0 < 64; r0 += 8) {
            for (int c0 = 0; c0 < cols; c0 += 32) {
                int keptRows = 0;
                for (int r = r0; r < r0 + 8; r++) {
                    int k = 0;
                    for (int col = c0; col < c0 + 32; col++) {
                        k += m.kept(r * cols + col) ? 1 : 0;
                    }
                    assertThat(k).isIn(0, 32);
                    keptRows += k == 32 ? 1 : 0;
                }
                assertThat(keptRows).isEqualTo(4);
            }
        }
        assertThat(m.keptCount()).isEqualTo(m.size() / 2);
    }

    @Test
    void unstructuredRemovesExactlyTheRoundedRateSmallestMagnitudes() {
        Graph g = Zoo.vgg(9, 10);
        for (double rate : new double[] {0.3, 0.5, 0.875}) {
            Graph c = new UnstructuredPruning().apply(g, g.node("fc1"), new PruneSpec.Unstructured(rate));
            Mask m = c.mask("fc1.weight");
            Tensor w = g.param("fc1.weight");
            assertThat(m.size() - m.keptCount()).isEqualTo(Math.round(rate * w.size()));
            float maxRemoved = 0;
            float minKept = Float.MAX_VALUE;
            for (int i = 0; i < m.size(); i++) {
                float a = Math.abs(w.data()[i]);
                if (m.kept(i)) {
                    minKept = Math.min(minKept, a);
                    assertThat(c.param("fc1.weight").data()[i]).isEqualTo(w.data()[i]);
                } else {
                    maxRemoved = Math.max(maxRemoved, a);
                    assertThat(c.param("fc1.weight").data()[i]).isZero();
                }
            }
            assertThat(maxRemoved).isLessThanOrEqualTo(minKept);
        }
        // the input graph is untouched
        assertThat(g.masks()).isEmpty();
        assertThat(g.param("fc1.weight").countNonZero()).isEqualTo(g.param("fc1.weight").size());
    }
}
