package dev.frontier.worker.compile.kernel;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Float activations -> symmetric int8 codes (code = round-half-away(clamp(x / scale, +-127))), the
 * step at the entry of every int8 convolution. Rounding is spelled as add-half-then-truncate in both
 * paths because the Vector API on JDK 17 has no round operation; the scalar twin does the same float
 * operations in the same order, so both give identical codes.
 */
public final class ActivationQuantizer {
    private ActivationQuantizer() {
    }

    /** Largest |x| over [0, n): the per-call range when a model carries no calibrated scale. */
    public static float maxAbs(float[] x, int n) {
        float m = 0f;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, Math.abs(x[i]));
        }
        return m;
    }

    static byte code(float v) {
        float c = Math.min(127f, Math.max(-127f, v));
        return (byte) (int) (c + Math.copySign(0.5f, c));
    }

    public static void scalar(float[] x, int n, float inverseScale, byte[] q) {
        for (int i = 0; i < n; i++) {
            q[i] = code(x[i] * inverseScale);
        }
    }

    public static void vector(float[] x, int n, float inverseScale, byte[] q) {
        int i = 0;
        for (; i + Vec.L <= n; i += Vec.L) {
            FloatVector v = FloatVector.fromArray(Vec.S, x, i).mul(inverseScale).max(-127f).min(127f);
            FloatVector half = FloatVector.broadcast(Vec.S, 0.5f).blend(-0.5f, v.compare(VectorOperators.LT, 0f));
            ((ByteVector) v.add(half).convert(VectorOperators.F2I, 0).convertShape(VectorOperators.I2B, Int8Vec.BS, 0))
                    .intoArray(q, i);
        }
        for (; i < n; i++) {
            q[i] = code(x[i] * inverseScale);
        }
    }
}
