package dev.frontier.worker.model;

/**
 * Shape of one activation, batch excluded: channels x height x width. A flattened feature vector of
 * length F is (F, 1, 1), so linear layers and convolutions share one shape type.
 */
public record Shape(int c, int h, int w) {
    public Shape {
        if (c <= 0 || h <= 0 || w <= 0) {
            throw new IllegalArgumentException("shape dimensions must be positive, got " + c + "x" + h + "x" + w);
        }
    }

    public static Shape features(int f) {
        return new Shape(f, 1, 1);
    }

    public int size() {
        return c * h * w;
    }

    public boolean isFlat() {
        return h == 1 && w == 1;
    }

    public int[] toArray() {
        return new int[] {c, h, w};
    }

    @Override
    public String toString() {
        return c + "x" + h + "x" + w;
    }
}
