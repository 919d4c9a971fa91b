package dev.frontier.worker.compile.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
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

    static FloatVector load(float[] a, int i) {
        return FloatVector.fromArray(S, a, i);
    }

    static FloatVector act(FloatVector v, int act) {
        if (act == RELU) {
            return v.max(0f);
        }
        if (act == RELU6) {
            return v.max(0f).min(6f);
        }
        return v;
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

    /**
     * Adds the bias, applies the activation and stores lanes whose position {@code pos + lane} is below
     * {@code end}; lanes past the end are dropped (they would land on the next plane's zero ring).
     */
    static void store(FloatVector acc, float bias, int act, float[] out, int o, int pos, int end) {
        if (pos >= end) {
            return;
        }
        FloatVector v = act(acc.add(bias), act);
        if (pos + L <= end) {
            v.intoArray(out, o);
        } else {
            VectorMask<Float> m = S.indexInRange(pos, end);
            v.intoArray(out, o, m);
        }
    }

    /** Index map for strided loads: 0, s, 2s, ... */
    static int[] strideMap(int s) {
        int[] m = new int[L];
        for (int i = 0; i < L; i++) {
            m[i] = i * s;
        }
        return m;
    }

    /** Loads L floats at a + base + j*stride (contiguous when stride is 1). */
    static FloatVector loadStrided(float[] a, int base, int stride, int[] map) {
        return stride == 1 ? FloatVector.fromArray(S, a, base) : FloatVector.fromArray(S, a, base, map, 0);
    }
}
