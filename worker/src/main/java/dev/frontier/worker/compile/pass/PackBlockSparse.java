package dev.frontier.worker.compile.pass;

import dev.frontier.worker.compile.op.LinearOps;
import dev.frontier.worker.compile.op.Op;
import dev.frontier.worker.model.Mask;

import java.util.ArrayList;
import java.util.List;

/**
 * IR linear layer -> block-sparse op. The block height is derived from the mask: the largest R in
 * {32, 16, 8, 4} such that inside every group of R rows each column is kept for all rows or for none
 * (block pruning removes whole columns inside [rows, cols] blocks, so R = the block's row count or a
 * divisor of it). Each row block stores its kept column indices and an R x K dense weight slab.
 */
public final class PackBlockSparse {
    private static final int[] CANDIDATES = {32, 16, 8, 4};

    private PackBlockSparse() {
    }

    /** The block height, or 0 when the mask has no column structure of height >= 4. */
    public static int rowsPerBlock(Mask m, int out, int in) {
        boolean[] keep = m.keep();
        for (int r : CANDIDATES) {
            if (r > out) {
                continue;
            }
            boolean ok = true;
            for (int b = 0; b * r < out && ok; b++) {
                for (int c = 0; c < in && ok; c++) {
                    boolean first = keep[b * r * in + c];
                    for (int j = 1; j < r && b * r + j < out; j++) {
                        if (keep[(b * r + j) * in + c] != first) {
                            ok = false;
                            break;
                        }
                    }
                }
            }
            if (ok) {
                return r;
            }
        }
        return 0;
    }

    public static LinearOps.Block pack(Op.Header h, int in, int out, float[] w, float[] bias, Mask m, int r) {
        boolean[] keep = m.keep();
        int blocks = (out + r - 1) / r;
        int[] colStart = new int[blocks + 1];
        List<Integer> cols = new ArrayList<>();
        for (int b = 0; b < blocks; b++) {
            colStart[b] = cols.size();
            for (int c = 0; c < in; c++) {
                if (keep[b * r * in + c]) {
                    cols.add(c);
                }
            }
        }
        colStart[blocks] = cols.size();
        float[] wp = new float[r * cols.size()];
        for (int b = 0; b < blocks; b++) {
            int k = colStart[b + 1] - colStart[b];
            for (int j = 0; j < r && b * r + j < out; j++) {
                for (int q = 0; q < k; q++) {
                    wp[r * colStart[b] + j * k + q] = w[(b * r + j) * in + cols.get(colStart[b] + q)];
                }
            }
        }
        return new LinearOps.Block(h, in, out, r, colStart, cols.stream().mapToInt(Integer::intValue).toArray(), wp, bias);
    }
}
