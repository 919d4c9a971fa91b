package dev.frontier.worker.compile;

import dev.frontier.worker.model.Shape;

/**
 * How one activation sits in its buffer: channel planes of (h + 2 pad) x (w + 2 pad) floats with a
 * ring of zeros around the interior. The zero ring lets a "same" convolution read its taps without
 * bounds checks, and lets the flattened kernels treat a whole plane as one long vector range.
 * Every kernel writes only interior positions (or re-zeroes the ring), so the ring stays zero.
 */
public record Layout(int c, int h, int w, int pad) {
    /** Extra floats after the last plane: vector kernels may read (never write) past the end. */
    static final int SLACK_VECTORS = 16;

    public static Layout of(Shape s, int pad) {
        return new Layout(s.c(), s.h(), s.w(), s.isFlat() ? 0 : pad);
    }

    public int rowStride() {
        return w + 2 * pad;
    }

    public int plane() {
        return (h + 2 * pad) * rowStride();
    }

    /** Floats actually used by the tensor (planes, no slack). */
    public int span() {
        return c * plane();
    }

    /** Floats to allocate: the span plus read slack for vector kernels. */
    public int allocSize() {
        return span() + SLACK_VECTORS * 16 + 2 * rowStride() + 2 * pad + 2;
    }

    public int index(int ch, int y, int x) {
        return ch * plane() + (y + pad) * rowStride() + x + pad;
    }

    /** Offset of the first interior element inside a plane. */
    public int interiorStart() {
        return pad * rowStride() + pad;
    }

    /** Offset one past the last interior element inside a plane. */
    public int interiorEnd() {
        return (pad + h - 1) * rowStride() + pad + w;
    }

    public Shape shape() {
        return new Shape(c, h, w);
    }

    /** Copies a dense C x H x W tensor into this layout (ring untouched). */
    public void scatter(float[] dense, float[] buf) {
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(dense, (ch * h + y) * w, buf, index(ch, y, 0), w);
            }
        }
    }

    /** Copies this layout's interior into a dense C x H x W array. */
    public void gather(float[] buf, float[] dense) {
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(buf, index(ch, y, 0), dense, (ch * h + y) * w, w);
            }
        }
    }

    /** Zeroes the pad columns between interior rows of one plane (flattened kernels write garbage there). */
    public void zeroPadColumns(float[] buf, int planeBase) {
        if (pad == 0) {
            return;
        }
        int rs = rowStride();
        for (int y = 0; y < h - 1; y++) {
            int from = planeBase + (pad + y) * rs + pad + w;
            java.util.Arrays.fill(buf, from, from + 2 * pad, 0f);
        }
    }
}
