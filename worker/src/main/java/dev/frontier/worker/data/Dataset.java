package dev.frontier.worker.data;

import dev.frontier.worker.model.Shape;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Labelled images in memory: float pixels laid out N x C x H x W (already normalized, see
 * {@link #normalization()}), int labels in {@code [0, classes)}. Immutable: every operation returns a
 * new dataset, so one loaded split can be shared by concurrent trials.
 */
public final class Dataset {
    private final String name;
    private final Shape inputShape;
    private final float[] images;
    private final int[] labels;
    private final List<String> classNames;
    private final Normalization normalization;

    public Dataset(String name, Shape inputShape, float[] images, int[] labels, List<String> classNames,
                   Normalization normalization) {
        if ((long) labels.length * inputShape.size() != images.length) {
            throw new IllegalArgumentException(name + ": " + labels.length + " labels but " + images.length
                    + " pixel values for images of " + inputShape);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of item " + i
                        + " is outside [0, " + classNames.size() + ")");
            }
        }
        this.name = name;
        this.inputShape = inputShape;
        this.images = images;
        this.labels = labels;
        this.classNames = List.copyOf(classNames);
        this.normalization = normalization;
    }

    public String name() {
        return name;
    }

    public Shape inputShape() {
        return inputShape;
    }

    public int size() {
        return labels.length;
    }

    public int classes() {
        return classNames.size();
    }

    public List<String> classNames() {
        return classNames;
    }

    public Normalization normalization() {
        return normalization;
    }

    public int label(int i) {
        return labels[i];
    }

    public int[] labels() {
        return labels.clone();
    }

    /** One image (C x H x W, normalized), a copy. */
    public float[] image(int i) {
        int n = inputShape.size();
        return Arrays.copyOfRange(images, i * n, (i + 1) * n);
    }

    /** Copies image {@code i} into {@code dst} at {@code offset} (batching without extra allocation). */
    public void copyImage(int i, float[] dst, int offset) {
        int n = inputShape.size();
        System.arraycopy(images, i * n, dst, offset, n);
    }

    /** The first {@code n} items (all of them if there are fewer). */
    public Dataset subset(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("subset size must be >= 0, got " + n);
        }
        return slice(0, Math.min(n, size()));
    }

    /** Items {@code from} (inclusive) to {@code to} (exclusive). */
    public Dataset slice(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") outside [0, " + size() + ")");
        }
        int n = inputShape.size();
        return new Dataset(name, inputShape, Arrays.copyOfRange(images, from * n, to * n),
                Arrays.copyOfRange(labels, from, to), classNames, normalization);
    }

    /** The items at {@code indices}, in that order. */
    public Dataset select(int[] indices) {
        int n = inputShape.size();
        float[] im = new float[indices.length * n];
        int[] lb = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(images, indices[k] * n, im, k * n, n);
            lb[k] = labels[indices[k]];
        }
        return new Dataset(name, inputShape, im, lb, classNames, normalization);
    }

    /** {@code a}'s items then {@code b}'s (same shape, classes and normalization). */
    public static Dataset concat(Dataset a, Dataset b) {
        if (!a.inputShape.equals(b.inputShape) || !a.normalization.equals(b.normalization)) {
            throw new IllegalArgumentException("cannot join datasets of different shapes or normalizations");
        }
        float[] im = Arrays.copyOf(a.images, a.images.length + b.images.length);
        System.arraycopy(b.images, 0, im, a.images.length, b.images.length);
        int[] lb = Arrays.copyOf(a.labels, a.labels.length + b.labels.length);
        System.arraycopy(b.labels, 0, lb, a.labels.length, b.labels.length);
        return new Dataset(a.name, a.inputShape, im, lb, a.classNames, a.normalization);
    }

    /** Same items in an order fixed by {@code seed}. */
    public Dataset shuffled(long seed) {
        return select(permutation(size(), seed));
    }

    /**
     * Re-normalizes: pixels are mapped back to raw [0, 1] with the current normalization and forward
     * with {@code target}.
     */
    public Dataset normalized(Normalization target) {
        float[] out = new float[images.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = target.apply(normalization.invert(images[i]));
        }
        return new Dataset(name, inputShape, out, labels, classNames, target);
    }

    /** Items per class, indexed by label. */
    public int[] classCounts() {
        int[] c = new int[classes()];
        for (int l : labels) {
            c[l]++;
        }
        return c;
    }

    /**
     * A permutation of {@code 0..n-1} that depends only on {@code n} and {@code seed}
     * (Fisher-Yates over {@link java.util.Random}, whose sequence the JDK specifies).
     */
    public static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    @Override
    public String toString() {
        return name + " (" + size() + " images of " + inputShape + ", " + classes() + " classes)";
    }
}
