package dev.frontier.worker.compile.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Shared vector helpers: the species, the scalar switch, and the bias + activation + masked store epilogue. */
public final class Vec {
    public static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    public static final int L = S.length();
    /** {@code -Dfrontier.scalar=true} makes every kernel take its scalar reference path. */
    public static final boolean SCALAR = Boolean.getBoolean("frontier.scalar");

    /** Activation codes as ints so the hot loops branch on a constant-ish int, not an enum. */
    public static final int NONE = 0;
    public static final int RELU = 1;
    public static final int RELU6 = 2;

    private Vec() {
    }

    static float act(float v, int act) {
        if (act == RELU) {
            return Math.max(0f, v);
        }
        if (act == RELU6) {
            return Math.min(6f, Math.max(0f, v));
        }
        return v;
    }

    /** Copies n (< L) floats from a[i..] into a zero-padded scratch vector (instead of a masked load). */
    static float[] partial(float[] a, int i, int n) {
        float[] tmp = SCRATCH.get();
        System.arraycopy(a, i, tmp, 0, n);
        java.util.Arrays.fill(tmp, n, L, 0f);
        return tmp;
    }

    /**
     * Bias + activation + store of {@code nvec} accumulator vectors that the caller spilled to
     * {@code acc[accOff..]}. Vectors never cross a method boundary here: a vector passed to or
     * returned from a call that C2 does not inline gets boxed, which made kernels ~10x slower.
     */
    static void epilogue(float[] acc, int accOff, int nvec, float bias, int act, float[] out, int o, int pos, int end) {
        for (int j = 0; j < nvec; j++) {
            int p = pos + j * L;
            if (p >= end) {
                return;
            }
            FloatVector v = FloatVector.fromArray(S, acc, accOff + j * L).add(bias);
            if (act == RELU) {
                v = v.max(0f);
            } else if (act == RELU6) {
                v = v.max(0f).min(6f);
            }
            if (p + L <= end) {
                v.intoArray(out, o + j * L);
            } else {
                v.intoArray(acc, accOff + j * L);
                System.arraycopy(acc, accOff + j * L, out, o + j * L, end - p);
            }
        }
    }

    /** Per-thread spill area for accumulators (16 vectors). */
    static float[] accumulators() {
        return ACC.get();
    }

    private static final ThreadLocal<float[]> ACC = ThreadLocal.withInitial(() -> new float[16 * L]);

    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[L]);

    /** Index map for strided loads: 0, s, 2s, ... */
    static int[] strideMap(int s) {
        int[] m = new int[L];
        for (int i = 0; i < L; i++) {
            m[i] = i * s;
        }
        return m;
    }

}
