package dev.frontier.worker.bench;

import dev.frontier.worker.compile.Plan;
import dev.frontier.worker.compile.nativ.NativeBuild;
import dev.frontier.worker.compile.nativ.NativeToolchain;
import dev.frontier.worker.compile.op.Op;
import dev.frontier.worker.measure.LatencyResult;
import dev.frontier.worker.measure.NativeRunner;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code frontier-native-*} rows of the bench: each variant's plan (the same artifact bytes the
 * JVM rows time) generated as C, built with the host compiler and timed by its harness, 1 thread.
 * A variant the generator cannot express yet is left out with a note, never estimated.
 */
final class BenchNative {
    /** One built variant: the plan it came from and its runner. */
    record Built(String name, Plan plan, NativeRunner runner) {
    }

    private BenchNative() {
    }

    static List<Built> build(List<Bench.Variant> variants, List<Plan> plans, PrintStream log) {
        List<Built> out = new ArrayList<>();
        Optional<NativeToolchain> tc = NativeToolchain.host();
        if (tc.isEmpty()) {
            log.println("[bench] note: no C compiler (set FRONTIER_CC or install gcc); no frontier-native rows");
            return out;
        }
        log.println("[bench] native toolchain: " + tc.get().describe());
        for (int i = 0; i < variants.size(); i++) {
            String name = variants.get(i).name().replaceFirst("^frontier-", "frontier-native-");
            log.printf(Locale.ROOT, "[bench] %s: generate C + build (cached by content hash) ...%n", name);
            try {
                NativeBuild b = NativeBuild.cached(plans.get(i), tc.get(), false);
                out.add(new Built(name, plans.get(i), new NativeRunner(b)));
            } catch (UnsupportedOperationException e) {
                log.printf(Locale.ROOT, "[bench] note: no %s row: %s%n", name, e.getMessage());
            }
        }
        return out;
    }

    /**
     * name, native kernel, MACs, ms, GFLOP/s, % of peak for every op that does arithmetic. For int8
     * layers "GFLOP/s" counts 2 integer ops per MAC against the float FMA peak (VNNI does 4 MACs per
     * lane where an FMA does 1, so int8 can pass 100%).
     */
    static List<String[]> layerRows(Plan plan, LatencyResult r, double peak) {
        return Bench.layerRows(plan, r, peak, op -> "c:" + NativeBuild.kernelOf(op));
    }
}
