package dev.frontier.worker.train;

import dev.frontier.worker.data.Dataset;
import dev.frontier.worker.model.Shape;

import java.util.Random;

/** Fills batch buffers from a dataset, optionally with random flips and shifts (training only). */
final class Batches {
    static final int MAX_SHIFT = 2;

    private Batches() {
    }

    /** Copies items {@code order[from..from+n)} into {@code images} / {@code labels}. */
    static void fill(Dataset d, int[] order, int from, int n, float[] images, long[] labels, Random augment) {
        Shape s = d.inputShape();
        int size = s.size();
        float background = d.normalization().apply(0f);
        float[] scratch = augment == null ? null : new float[size];
        for (int k = 0; k < n; k++) {
            int idx = order == null ? from + k : order[from + k];
            labels[k] = d.label(idx);
            if (augment == null) {
                d.copyImage(idx, images, k * size);
            } else {
                d.copyImage(idx, scratch, 0);
                boolean flip = augment.nextBoolean();
                int dy = augment.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT;
                int dx = augment.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT;
                transform(scratch, images, k * size, s, flip, dy, dx, background);
            }
        }
    }

    /** dst(y, x) = src(y + dy, flip ? w-1-(x+dx) : x+dx), background outside. */
    static void transform(float[] src, float[] dst, int offset, Shape s, boolean flip, int dy, int dx, float background) {
        int h = s.h();
        int w = s.w();
        for (int c = 0; c < s.c(); c++) {
            int plane = c * h * w;
            for (int y = 0; y < h; y++) {
                int sy = y + dy;
                for (int x = 0; x < w; x++) {
                    int sx = x + dx;
                    float v;
                    if (sy < 0 || sy >= h || sx < 0 || sx >= w) {
                        v = background;
                    } else {
                        v = src[plane + sy * w + (flip ? w - 1 - sx : sx)];
                    }
                    dst[offset + plane + y * w + x] = v;
                }
            }
        }
    }
}
