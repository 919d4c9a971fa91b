package dev.frontier.worker.compress;

import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Node;
import dev.frontier.worker.model.Tensor;

/**
 * Block pruning of the weight matrix (linear [out, in]; conv seen as [out, in/groups * kh * kw]).
 * The matrix is cut into rows x cols blocks from the top-left; edge blocks are whatever is left.
 * Inside each block, round(rate * width) whole columns (or rows, with {@code along: rows}) with the
 * smallest L2 norm over the block are removed, so the kept part of every block is dense.
 */
public final class BlockPruning extends MaskPruning<PruneSpec.Block> {

    @Override
    public String unfitReason(Graph g, Node layer) {
        String r = super.unfitReason(g, layer);
        return r != null ? r : depthwiseReason(layer, "block");
    }

    @Override
    boolean[] keep(Graph g, Node n, Tensor w, PruneSpec.Block spec) {
        int rows = w.dim(0);
        int cols = w.size() / rows;
        float[] d = w.data();
        boolean[] keep = new boolean[d.length];
        java.util.Arrays.fill(keep, true);
        for (int r0 = 0; r0 < rows; r0 += spec.rows()) {
            int br = Math.min(spec.rows(), rows - r0);
            for (int c0 = 0; c0 < cols; c0 += spec.cols()) {
                int bc = Math.min(spec.cols(), cols - c0);
                int lines = spec.alongRows() ? br : bc;
                int across = spec.alongRows() ? bc : br;
                double[] energy = new double[lines];
                for (int l = 0; l < lines; l++) {
                    double s = 0;
                    for (int a = 0; a < across; a++) {
                        int r = r0 + (spec.alongRows() ? l : a);
                        int c = c0 + (spec.alongRows() ? a : l);
                        float v = d[r * cols + c];
                        s += (double) v * v;
                    }
                    energy[l] = s;
                }
                for (int l : smallest(energy, removeCount(spec.rate(), lines))) {
                    for (int a = 0; a < across; a++) {
                        int r = r0 + (spec.alongRows() ? l : a);
                        int c = c0 + (spec.alongRows() ? a : l);
                        keep[r * cols + c] = false;
                    }
                }
            }
        }
        return keep;
    }

    /** Columns (or rows) a block of the given width keeps; what the tests and the compiler expect. */
    public static int keptLines(double rate, int lines) {
        return lines - removeCount(rate, lines);
    }
}
