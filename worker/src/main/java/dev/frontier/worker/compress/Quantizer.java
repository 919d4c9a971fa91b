package dev.frontier.worker.compress;

import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Mask;
import dev.frontier.worker.model.Node;
import dev.frontier.worker.model.QuantScheme;
import dev.frontier.worker.model.QuantizedTensor;
import dev.frontier.worker.model.Tensor;

/**
 * Weight quantization, one scale per row (output channel or output feature).
 *
 * <ul>
 *   <li>symmetric: scale = max|w| / maxCode, q = round(w / scale), so |w - q*scale| <= scale/2;
 *   <li>power-of-two: |value| = scale * 2^-(|q|-1), |q| in 1..maxCode (and 0); the scale is the one of
 *       a few candidates below max|w| that reconstructs the row with the least squared error;
 *   <li>mixed: each row takes whichever of the two reconstructs it with less squared error.
 * </ul>
 * Pruned weights (mask false) get code 0 and stay exactly 0. The float parameter is replaced by the
 * dequantized values, so the graph computes what the integers compute.
 */
public final class Quantizer {
    /** Power-of-two scale candidates: max|w| * 2^(-j/STEPS), j in [0, STEPS). */
    private static final int STEPS = 8;

    private Quantizer() {
    }

    public static Graph quantize(Graph g, Node n, QuantSpec spec) {
        String name = n.weightName();
        QuantizedTensor q = quantize(g.param(name), g.mask(name), spec.bits(), spec.scheme());
        return g.toBuilder().param(name, q.dequantize()).quantized(name, q).build();
    }

    public static QuantizedTensor quantize(Tensor w, Mask mask, int bits, QuantScheme scheme) {
        int rows = w.dim(0);
        int len = w.size() / rows;
        int maxCode = QuantizedTensor.maxCode(bits);
        float[] d = w.data();
        byte[] codes = new byte[d.length];
        float[] scales = new float[rows];
        boolean[] p2 = new boolean[rows];
        byte[] fixed = new byte[len];
        byte[] pow = new byte[len];
        for (int r = 0; r < rows; r++) {
            int off = r * len;
            float[] row = new float[len];
            for (int i = 0; i < len; i++) {
                row[i] = mask == null || mask.kept(off + i) ? d[off + i] : 0f;
            }
            float fixedScale = symmetricRow(row, maxCode, fixed);
            boolean usePow;
            float powScale = 0;
            if (scheme == QuantScheme.SYMMETRIC) {
                usePow = false;
            } else {
                powScale = powerOfTwoRow(row, maxCode, pow);
                usePow = scheme == QuantScheme.POWER_OF_TWO
                        || error(row, pow, powScale, true) < error(row, fixed, fixedScale, false);
            }
            scales[r] = usePow ? powScale : fixedScale;
            p2[r] = usePow;
            System.arraycopy(usePow ? pow : fixed, 0, codes, off, len);
        }
        return new QuantizedTensor(bits, scheme, w.shape(), codes, scales, p2);
    }

    /** Fixed-point codes of one row into {@code out}; returns the scale (1 for an all-zero row). */
    static float symmetricRow(float[] row, int maxCode, byte[] out) {
        float max = maxAbs(row);
        float scale = max == 0 ? 1f : max / maxCode;
        for (int i = 0; i < row.length; i++) {
            int q = Math.round(row[i] / scale);
            out[i] = (byte) Math.max(-maxCode, Math.min(maxCode, q));
        }
        return scale;
    }

    /** Power-of-two codes of one row into {@code out}; returns the scale. */
    static float powerOfTwoRow(float[] row, int maxCode, byte[] out) {
        float max = maxAbs(row);
        if (max == 0) {
            java.util.Arrays.fill(out, (byte) 0);
            return 1f;
        }
        byte[] trial = new byte[row.length];
        float bestScale = max;
        double bestErr = Double.POSITIVE_INFINITY;
        for (int j = 0; j < STEPS; j++) {
            float scale = (float) (max * Math.pow(2, -(double) j / STEPS));
            for (int i = 0; i < row.length; i++) {
                trial[i] = (byte) nearestPowerOfTwoCode(row[i], scale, maxCode);
            }
            double err = error(row, trial, scale, true);
            if (err < bestErr) {
                bestErr = err;
                bestScale = scale;
                System.arraycopy(trial, 0, out, 0, row.length);
            }
        }
        return bestScale;
    }

    /** The code whose decoded value is nearest to {@code v} (0 included). */
    static int nearestPowerOfTwoCode(float v, float scale, int maxCode) {
        if (v == 0) {
            return 0;
        }
        double a = Math.abs(v);
        // the level just above |v| (or the top one): k = floor(log2(scale / |v|)) is the exponent
        int k = (int) Math.floor(Math.log(scale / a) / Math.log(2));
        int best = 0;
        double bestErr = a;
        for (int e = Math.max(0, k - 1); e <= Math.min(maxCode - 1, Math.max(0, k + 1)); e++) {
            double err = Math.abs(a - QuantizedTensor.decode(e + 1, scale, true));
            if (err < bestErr) {
                bestErr = err;
                best = e + 1;
            }
        }
        return v < 0 ? -best : best;
    }

    static double error(float[] row, byte[] codes, float scale, boolean powerOfTwo) {
        double s = 0;
        for (int i = 0; i < row.length; i++) {
            double e = row[i] - QuantizedTensor.decode(codes[i], scale, powerOfTwo);
            s += e * e;
        }
        return s;
    }

    private static float maxAbs(float[] row) {
        float m = 0;
        for (float v : row) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
