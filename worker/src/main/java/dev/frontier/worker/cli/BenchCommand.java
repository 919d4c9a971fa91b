package dev.frontier.worker.cli;

import dev.frontier.worker.bench.Bench;
import dev.frontier.worker.bench.PeakFlops;
import dev.frontier.worker.measure.LatencyProtocol;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.InvalidModelException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/** {@code bench [--model FILE] [--threads 1,2] [--repeat N] [--min-repeat-ms MS] [--json]} */
public final class BenchCommand implements Command {
    public String help() {
        return """
                usage: frontier-worker bench [--model FILE.frir] [--threads 1,2] [--repeat 30] [--min-repeat-ms 20]
                                             [--warmup-ms 1000] [--rounds 3] [--only 8x,int8] [--json]
                  Batch-1 latency of PyTorch (DJL) dense, Frontier dense compiled, Frontier pattern+connectivity
                  at 4x and 8x on the 3x3 convolutions, int8 and int8 + pattern 8x; per-layer GFLOP/s and % of the measured FMA peak.
                  With 1 thread the same plans also run as generated C (frontier-native-* rows; host C compiler,
                  $FRONTIER_NATIVE_PREFIX e.g. "taskset -c 1" pins the harness). "vs ORT" = median over rounds of ORT dense / row, timed in the same round. The model
                  defaults to the shipped demo baseline. Measurements are interleaved in --rounds rounds; the speedup
                  is the median over rounds of PyTorch/variant. --only keeps the variants whose name contains one of
                  the given words (PyTorch and ORT dense always run). With --json the last line is one JSON object.""";
    }

    public int run(Args a) {
        List<Integer> threads = a.integers("threads", List.of(1));
        int repeat = a.integer("repeat", 30);
        double minRepeatMs = a.number("min-repeat-ms", 20);
        double warmupMs = a.number("warmup-ms", 1000);
        int rounds = a.integer("rounds", 3);
        boolean json = a.flag("json");
        String modelPath = a.string("model", null);
        List<String> only = a.strings("only", List.of());
        a.rejectUnknown();
        for (int t : threads) {
            if (t < 1) {
                throw new UsageException("--threads must be positive, got " + t);
            }
        }
        Graph g;
        try {
            g = modelPath == null ? Bench.demoModel(System.out) : dev.frontier.worker.onnx.ModelFormats.load(java.nio.file.Path.of(modelPath));
        } catch (InvalidModelException | java.io.UncheckedIOException e) {
            throw new UsageException(e.getMessage(), e);
        }
        String loadStart = Bench.loadAverage();
        System.out.println("[bench] load average at start: " + loadStart);
        System.out.println("[bench] measuring FMA peak (1 thread) ...");
        double peak = PeakFlops.measure();
        System.out.printf(Locale.ROOT, "[bench] peak %.1f GFLOP/s per core; model %s, %d dense MACs%n", peak,
                g.metadata().getOrDefault("arch", "?"), g.totalMacs());
        List<Bench.Variant> variants = Bench.defaultVariants(g, System.out).stream()
                .filter(v -> only.isEmpty() || only.stream().anyMatch(w -> v.name().contains(w))).toList();
        if (variants.isEmpty()) {
            throw new UsageException("--only " + String.join(",", only) + " matches no variant");
        }
        LatencyProtocol.Options o = new LatencyProtocol.Options(300, warmupMs, repeat, minRepeatMs);
        List<Bench.Row> rows = Bench.run(g, variants, threads, o, peak, Math.max(1, rounds), System.out);

        System.out.println();
        System.out.printf("%nbatch 1, %d interleaved round(s); latency = the median round's record; load average "
                + "(1/5/15 min) at start %s, at end %s; peak %.1f GFLOP/s/core%n", rounds, loadStart, Bench.loadAverage(), peak);
        System.out.printf("%-40s %3s %10s %10s %10s %9s %9s %8s %12s%n", "variant", "thr", "median ms", "p10 ms",
                "p90 ms", "speedup", "spd(p10)", "vs ORT", "MACs");
        for (Bench.Row r : rows) {
            System.out.printf(Locale.ROOT, "%-40s %3d %10.4f %10.4f %10.4f %8.2fx %8.2fx %7.2fx %12d%n", r.variant(),
                    r.threads(), r.latency().medianMs(), r.latency().p10Ms(), r.latency().p90Ms(), r.speedupVsPytorch(),
                    r.speedupP10(), r.vsOrt(), r.macs());
        }
        for (Bench.Row r : rows) {
            if (r.layers().isEmpty()) {
                continue;
            }
            System.out.printf("%nper layer: %s, %d thread(s) (peak %.1f GFLOP/s x %d)%n", r.variant(), r.threads(), peak,
                    r.threads());
            System.out.printf("  %-10s %-24s %10s %9s %9s %7s%n", "layer", "format", "MACs", "ms", "GFLOP/s", "%peak");
            for (String[] l : r.layers()) {
                System.out.printf("  %-10s %-24s %10s %9s %9s %7s%n", (Object[]) l);
            }
        }
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", g.metadata().getOrDefault("arch", "model"));
            out.put("peakGflopsPerCore", Math.round(peak * 10) / 10.0);
            out.put("rounds", rounds);
            List<Map<String, Object>> vs = new ArrayList<>();
            for (Bench.Row r : rows) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", r.variant());
                m.put("threads", r.threads());
                m.put("medianMs", Math.round(r.latency().medianMs() * 1e5) / 1e5);
                m.put("speedupVsPytorch", Math.round(r.speedupVsPytorch() * 1000) / 1000.0);
                m.put("speedupVsPytorchP10", Math.round(r.speedupP10() * 1000) / 1000.0);
                m.put("speedupVsOrt", Math.round(r.vsOrt() * 1000) / 1000.0);
                m.put("latency", r.latency().toMap());
                vs.add(m);
            }
            out.put("variants", vs);
            System.out.println(JsonMapper.builder().build().writeValueAsString(out));
        }
        return 0;
    }
}
