package dev.frontier.worker.compile.kernel;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Shared pieces of the int8 kernels. Integer lanes match the float lanes ({@link Vec#L}), so a
 * vector of int8 codes (a quarter of a float vector's bytes) is widened to one int vector with a
 * single sign-extending load (vpmovsxbd on AVX-512), and one int vector of sums becomes one float
 * vector of outputs in the epilogue.
 */
final class Int8Vec {
    static final VectorSpecies<Integer> IS = VectorSpecies.of(int.class, Vec.S.vectorShape());
    static final VectorSpecies<Byte> BS = VectorSpecies.of(byte.class, VectorShape.forBitSize(Vec.L * 8));

    private Int8Vec() {
    }

    /** L codes from q[i..] as L ints. */
    static IntVector load(byte[] q, int i) {
        return (IntVector) ByteVector.fromArray(BS, q, i).convertShape(VectorOperators.B2I, IS, 0);
    }

    /** Per-thread spill area for int accumulators (16 vectors) and their float conversions. */
    static int[] intAccumulators() {
        return IACC.get();
    }

    private static final ThreadLocal<int[]> IACC = ThreadLocal.withInitial(() -> new int[16 * Vec.L]);

    /**
     * Dequantize + bias + activation + store of {@code nvec} int32 sum vectors spilled at
     * iacc[first*L..]: float(sum) * scale,
     * then {@link Vec#epilogue}; the scalar twins compute {@code act(float(sum) * scale + bias)},
     * the same two roundings.
     */
    static void epilogue(int[] iacc, int first, int nvec, float scale, float bias, int act, float[] out, int o, int pos,
                         int end) {
        float[] acc = Vec.accumulators();
        for (int j = 0; j < nvec; j++) {
            IntVector sums = IntVector.fromArray(IS, iacc, (first + j) * Vec.L);
            ((FloatVector) sums.convert(VectorOperators.I2F, 0)).mul(scale).intoArray(acc, j * Vec.L);
        }
        Vec.epilogue(acc, 0, nvec, bias, act, out, o, pos, end);
    }
}
