package dev.frontier.worker.model;

import java.util.Arrays;

/**
 * Integer weights with one scale per row (axis 0: output channel or output feature). One byte holds
 * one value whatever the bit width, so int4 weights are ready for kernels without unpacking.
 *
 * <p>Invariant kept by the quantizers: the float parameter of the same name in the {@link Graph}
 * equals {@link #dequantize()}, so anything that ignores quantization still computes the same function.
 */
public final class QuantizedTensor {
    private final int bits;
    private final QuantScheme scheme;
    private final int[] shape;
    private final byte[] values;
    private final float[] scales;
    private final boolean[] rowPowerOfTwo;

    public QuantizedTensor(int bits, QuantScheme scheme, int[] shape, byte[] values, float[] scales,
                           boolean[] rowPowerOfTwo) {
        if (bits != 8 && bits != 4) {
            throw new IllegalArgumentException("only 8 and 4 bit weights are supported, got " + bits);
        }
        if (Tensor.numel(shape) != values.length) {
            throw new IllegalArgumentException("quantized values do not match shape " + Arrays.toString(shape));
        }
        if (scales.length != shape[0] || rowPowerOfTwo.length != shape[0]) {
            throw new IllegalArgumentException("need one scale and one row flag per row (" + shape[0] + ")");
        }
        this.bits = bits;
        this.scheme = scheme;
        this.shape = shape.clone();
        this.values = values;
        this.scales = scales;
        this.rowPowerOfTwo = rowPowerOfTwo;
    }

    /** Largest magnitude code: 127 for int8, 7 for int4 (symmetric, so -max..max). */
    public static int maxCode(int bits) {
        return (1 << (bits - 1)) - 1;
    }

    public int bits() {
        return bits;
    }

    public QuantScheme scheme() {
        return scheme;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rows() {
        return shape[0];
    }

    public int rowLength() {
        return values.length / shape[0];
    }

    public byte[] values() {
        return values;
    }

    public float[] scales() {
        return scales;
    }

    public boolean[] rowPowerOfTwo() {
        return rowPowerOfTwo;
    }

    public static float decode(int q, float scale, boolean powerOfTwo) {
        if (q == 0) {
            return 0f;
        }
        if (!powerOfTwo) {
            return q * scale;
        }
        float magnitude = scale * (float) Math.scalb(1.0, -(Math.abs(q) - 1));
        return q < 0 ? -magnitude : magnitude;
    }

    public float value(int index) {
        int row = index / rowLength();
        return decode(values[index], scales[row], rowPowerOfTwo[row]);
    }

    public Tensor dequantize() {
        float[] d = new float[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = value(i);
        }
        return new Tensor(shape, d);
    }

    /** Storage in a deployable artifact: packed values at {@code bits} each, plus 4-byte scales. */
    public long packedBytes() {
        return ((long) values.length * bits + 7) / 8 + 4L * scales.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuantizedTensor q && bits == q.bits && scheme == q.scheme
                && Arrays.equals(shape, q.shape) && Arrays.equals(values, q.values)
                && Arrays.equals(scales, q.scales) && Arrays.equals(rowPowerOfTwo, q.rowPowerOfTwo);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values) * 31 + Arrays.hashCode(scales);
    }
}
