package dev.frontier.worker.model;

import java.util.Arrays;

/** A dense float tensor in row-major order. Weights of the IR live in these. */
public final class Tensor {
    private final int[] shape;
    private final float[] data;

    public Tensor(int[] shape, float[] data) {
        if (numel(shape) != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + numel(shape)
                    + " values, got " + data.length);
        }
        this.shape = shape.clone();
        this.data = data;
    }

    public static Tensor zeros(int... shape) {
        return new Tensor(shape, new float[numel(shape)]);
    }

    public static Tensor filled(float value, int... shape) {
        float[] d = new float[numel(shape)];
        Arrays.fill(d, value);
        return new Tensor(shape, d);
    }

    public static int numel(int[] shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n *= s;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor too large: " + Arrays.toString(shape));
        }
        return (int) n;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int dim(int i) {
        return shape[i];
    }

    public int rank() {
        return shape.length;
    }

    /** The backing array; mutating it mutates the tensor (weights are edited in place by passes). */
    public float[] data() {
        return data;
    }

    public int size() {
        return data.length;
    }

    public Tensor copy() {
        return new Tensor(shape, data.clone());
    }

    public int countNonZero() {
        int n = 0;
        for (float v : data) {
            if (v != 0f) {
                n++;
            }
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
