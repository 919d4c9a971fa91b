package dev.frontier.worker.measure;

import dev.frontier.worker.compile.FrontierCompiler;
import dev.frontier.worker.compile.Executor;
import dev.frontier.worker.compile.Plan;
import dev.frontier.worker.compile.Tuner;
import dev.frontier.worker.compile.op.Op;
import dev.frontier.worker.compress.Compressor;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.ModelFile;
import dev.frontier.worker.model.Zoo;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark behind {@code bench}: in one process, batch 1, PyTorch-via-DJL dense latency, then the
 * compiled dense model and each compressed variant, per thread count; per-layer GFLOP/s against the
 * measured FMA peak. Every compiled variant goes through artifact bytes first, so what is timed is
 * what would be shipped.
 */
public final class Bench {
    public static final String DEMO_RESOURCE = "/models/vgg-fmnist.frir";

    public record Variant(String name, Graph graph) {
    }

    public record Row(String variant, int threads, LatencyResult latency, double speedupVsPytorch, long macs,
                      List<String[]> layers) {
    }

    private Bench() {
    }

    /** The shipped demo baseline from the classpath, else a random-weight Zoo.vgg (development fallback). */
    public static Graph demoModel(PrintStream log) {
        try (InputStream in = Bench.class.getResourceAsStream(DEMO_RESOURCE)) {
            if (in != null) {
                return ModelFile.fromBytes(in.readAllBytes());
            }
        } catch (IOException e) {
            log.println("warning: cannot read " + DEMO_RESOURCE + ": " + e.getMessage());
        }
        log.println("note: " + DEMO_RESOURCE + " not in this build; using Zoo.vgg with random weights");
        return Zoo.vgg(42, 10);
    }

    /** Dense plus pattern+connectivity at 4x and 8x on the 3x3 convolutions (compress package). */
    public static List<Variant> defaultVariants(Graph g) {
        List<Variant> v = new ArrayList<>();
        v.add(new Variant("frontier-dense", g));
        for (double factor : new double[] {4, 8}) {
            double connectivity = 1 - 9.0 / 4.0 / factor;
            String cfg = String.format(Locale.ROOT,
                    "{\"default\":{\"prune\":{\"scheme\":\"pattern\",\"patterns\":8,\"connectivity\":%.5f}}}", connectivity);
            v.add(new Variant(String.format(Locale.ROOT, "frontier-pattern+connectivity-%.0fx", factor),
                    Compressor.compress(g, cfg).graph()));
        }
        return v;
    }

    public static List<Row> run(Graph g, List<Variant> variants, List<Integer> threadCounts, LatencyProtocol.Options o,
                                double peakGflops, PrintStream log) {
        List<Row> rows = new ArrayList<>();
        Map<Integer, Double> torch = new LinkedHashMap<>();
        try (TorchBaseline pt = new TorchBaseline(g)) {
            for (int t : threadCounts) {
                log.printf(Locale.ROOT, "[bench] pytorch-djl dense, %d thread(s) ...%n", t);
                LatencyResult r = pt.measure(t, o);
                torch.put(t, r.medianMs());
                rows.add(new Row("pytorch-djl-dense", t, r, 1.0, g.totalMacs(), List.of()));
                log.printf(Locale.ROOT, "[bench]   median %.4f ms%n", r.medianMs());
            }
        }
        for (Variant v : variants) {
            for (int t : threadCounts) {
                log.printf(Locale.ROOT, "[bench] %s, %d thread(s): compile + tune ...%n", v.name(), t);
                Plan compiled = FrontierCompiler.compile(v.graph(), new FrontierCompiler.Options(true, t, Tuner.Cache.fromEnvironment()));
                Plan loaded = dev.frontier.worker.compile.Artifact.fromBytes(
                        dev.frontier.worker.compile.Artifact.toBytes(compiled));
                try (Executor ex = new Executor(loaded, t)) {
                    LatencyResult r = LatencyProtocol.measure(ex, o);
                    double speedup = torch.get(t) / r.medianMs();
                    rows.add(new Row(v.name(), t, r, speedup, loaded.macs(), layerRows(loaded, r, peakGflops * t)));
                    log.printf(Locale.ROOT, "[bench]   median %.4f ms (%.2fx vs pytorch)%n", r.medianMs(), speedup);
                }
            }
        }
        return rows;
    }

    /** name, format, MACs, ms, GFLOP/s, % of peak for every op that does arithmetic. */
    static List<String[]> layerRows(Plan plan, LatencyResult r, double peak) {
        List<String[]> out = new ArrayList<>();
        for (Op op : plan.ops()) {
            Double ms = r.perLayerMs().get(op.name());
            if (ms == null) {
                continue;
            }
            double gflops = op.macs() == 0 ? 0 : 2.0 * op.macs() / (ms * 1e6);
            out.add(new String[] {op.name(), op.format() + (op.macs() > 0 ? "/v" + op.variant() : ""),
                    Long.toString(op.macs()), String.format(Locale.ROOT, "%.4f", ms),
                    op.macs() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", gflops),
                    op.macs() == 0 ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * gflops / peak)});
        }
        return out;
    }
}
