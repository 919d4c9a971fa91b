package dev.frontier.worker.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's measured single-core FP32 peak: a register-only loop of independent vector FMAs (no
 * memory traffic), the ceiling that "percent of peak" is measured against.
 */
public final class PeakFlops {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private PeakFlops() {
    }

    /** GFLOP/s of one thread (an FMA counts as 2 FLOPs); best of several runs after warm-up. */
    public static double measure() {
        float sink = 0;
        for (int i = 0; i < 50; i++) {
            sink += loop(100_000);
        }
        double best = 0;
        // many short runs, best kept: on a shared machine a short run is likelier to own the core
        int iters = 100_000;
        for (int r = 0; r < 200; r++) {
            long t0 = System.nanoTime();
            sink += loop(iters);
            long dt = System.nanoTime() - t0;
            best = Math.max(best, 12.0 * 2 * S.length() * iters / dt);
        }
        if (sink == 42.4242f) {
            System.out.print("");
        }
        return best;
    }

    /** 12 independent accumulators: enough to cover FMA latency x throughput on current cores. */
    private static float loop(int iters) {
        FloatVector a = FloatVector.broadcast(S, 0.999f);
        FloatVector b = FloatVector.broadcast(S, 0.0001f);
        FloatVector c0 = FloatVector.broadcast(S, 1f), c1 = c0.add(1f), c2 = c0.add(2f), c3 = c0.add(3f);
        FloatVector c4 = c0.add(4f), c5 = c0.add(5f), c6 = c0.add(6f), c7 = c0.add(7f);
        FloatVector c8 = c0.add(8f), c9 = c0.add(9f), c10 = c0.add(10f), c11 = c0.add(11f);
        for (int i = 0; i < iters; i++) {
            c0 = c0.fma(a, b);
            c1 = c1.fma(a, b);
            c2 = c2.fma(a, b);
            c3 = c3.fma(a, b);
            c4 = c4.fma(a, b);
            c5 = c5.fma(a, b);
            c6 = c6.fma(a, b);
            c7 = c7.fma(a, b);
            c8 = c8.fma(a, b);
            c9 = c9.fma(a, b);
            c10 = c10.fma(a, b);
            c11 = c11.fma(a, b);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
