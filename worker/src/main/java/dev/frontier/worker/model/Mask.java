package dev.frontier.worker.model;

import java.util.Arrays;

/**
 * Which weights of a parameter survive pruning (true = kept). Masks are the truth about sparsity:
 * fine-tuning re-applies them after every step, and the compiler reads them to choose sparse formats.
 */
public final class Mask {
    private final int[] shape;
    private final boolean[] keep;

    public Mask(int[] shape, boolean[] keep) {
        if (Tensor.numel(shape) != keep.length) {
            throw new IllegalArgumentException("mask shape " + Arrays.toString(shape) + " needs "
                    + Tensor.numel(shape) + " entries, got " + keep.length);
        }
        this.shape = shape.clone();
        this.keep = keep;
    }

    public static Mask allKept(int... shape) {
        boolean[] k = new boolean[Tensor.numel(shape)];
        Arrays.fill(k, true);
        return new Mask(shape, k);
    }

    public int[] shape() {
        return shape.clone();
    }

    public boolean[] keep() {
        return keep;
    }

    public boolean kept(int i) {
        return keep[i];
    }

    public int size() {
        return keep.length;
    }

    public int keptCount() {
        int n = 0;
        for (boolean b : keep) {
            if (b) {
                n++;
            }
        }
        return n;
    }

    /** Zeroes every pruned entry of {@code t} in place. */
    public void applyTo(Tensor t) {
        float[] d = t.data();
        if (d.length != keep.length) {
            throw new IllegalArgumentException("mask size " + keep.length + " does not match tensor size " + d.length);
        }
        for (int i = 0; i < d.length; i++) {
            if (!keep[i]) {
                d[i] = 0f;
            }
        }
    }

    /** Element-wise AND: a weight survives only if both masks keep it. */
    public Mask and(Mask other) {
        if (other.keep.length != keep.length) {
            throw new IllegalArgumentException("mask sizes differ: " + keep.length + " vs " + other.keep.length);
        }
        boolean[] k = new boolean[keep.length];
        for (int i = 0; i < k.length; i++) {
            k[i] = keep[i] && other.keep[i];
        }
        return new Mask(shape, k);
    }

    public Mask copy() {
        return new Mask(shape, keep.clone());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mask m && Arrays.equals(shape, m.shape) && Arrays.equals(keep, m.keep);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(keep);
    }
}
