package dev.frontier.worker.bench;

import dev.frontier.worker.compile.Artifact;
import dev.frontier.worker.compile.Executor;
import dev.frontier.worker.compile.FrontierCompiler;
import dev.frontier.worker.compile.Plan;
import dev.frontier.worker.compile.Tuner;
import dev.frontier.worker.compile.op.Op;
import dev.frontier.worker.compress.ActivationCalibrator;
import dev.frontier.worker.compress.Compressor;
import dev.frontier.worker.data.Dataset;
import dev.frontier.worker.data.Datasets;
import dev.frontier.worker.measure.LatencyProtocol;
import dev.frontier.worker.measure.LatencyResult;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.ModelFile;
import dev.frontier.worker.model.Zoo;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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

    /**
     * {@code speedupP10}: the same ratio on p10 latencies, less sensitive to other processes' load;
     * {@code vsOrt}: median over rounds of ONNX Runtime dense / this row, both timed in the same round.
     */
    public record Row(String variant, int threads, LatencyResult latency, double speedupVsPytorch, double speedupP10,
                      double vsOrt, long macs, List<String[]> layers) {
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

    public static final String INT8 = "{\"default\":{\"quantize\":{\"bits\":8,\"scheme\":\"symmetric\"}}}";
    static final int CALIBRATION_IMAGES = 256;

    /**
     * Dense; pattern+connectivity at 4x and 8x on the 3x3 convolutions; int8 (every conv and linear layer,
     * symmetric per channel); int8 + pattern 8x. All made by the compress package, without fine-tuning
     * (timing only). The int8 variants get their activation scales calibrated on Fashion-MNIST training
     * images when the dataset is installed and fits the model; otherwise their activations are
     * quantized per call from their range (a little slower), which the log says.
     */
    public static List<Variant> defaultVariants(Graph g, PrintStream log) {
        List<Variant> v = new ArrayList<>();
        v.add(new Variant("frontier-dense", g));
        for (double factor : new double[] {4, 8}) {
            v.add(new Variant(String.format(Locale.ROOT, "frontier-pattern+connectivity-%.0fx", factor),
                    Compressor.compress(g, patternConfig(factor, null)).graph()));
        }
        List<float[]> images = calibrationImages(g, log);
        v.add(new Variant("frontier-int8", calibrate(Compressor.compress(g, INT8).graph(), images)));
        v.add(new Variant("frontier-int8+pattern-8x", calibrate(Compressor.compress(g, patternConfig(8,
                "{\"bits\":8,\"scheme\":\"symmetric\"}")).graph(), images)));
        return v;
    }

    private static String patternConfig(double factor, String quantize) {
        double connectivity = 1 - 9.0 / 4.0 / factor;
        return String.format(Locale.ROOT,
                "{\"default\":{\"prune\":{\"scheme\":\"pattern\",\"patterns\":8,\"connectivity\":%.5f}%s}}",
                connectivity, quantize == null ? "" : ",\"quantize\":" + quantize);
    }

    private static List<float[]> calibrationImages(Graph g, PrintStream log) {
        try {
            Dataset train = Datasets.fashionMnist().train();
            if (train.inputShape().equals(g.inputShape())) {
                List<float[]> images = new ArrayList<>();
                for (int i = 0; i < Math.min(CALIBRATION_IMAGES, train.size()); i++) {
                    images.add(train.image(i));
                }
                return images;
            }
            log.println("[bench] note: model input " + g.inputShape() + " is not Fashion-MNIST's; int8 activations "
                    + "are quantized per call");
        } catch (RuntimeException e) {
            log.println("[bench] note: no Fashion-MNIST for int8 calibration (" + e.getMessage()
                    + "); int8 activations are quantized per call");
        }
        return List.of();
    }

    private static Graph calibrate(Graph g, List<float[]> images) {
        return images.isEmpty() ? g : ActivationCalibrator.maxAbs().calibrate(g, images);
    }

    /**
     * Compiles (and tunes) every variant first, then measures in {@code rounds} interleaved rounds
     * (PyTorch, then each variant, per round): on a shared machine the load drifts, and a speedup is
     * the median over rounds of PyTorch / variant measured minutes apart at most. The reported latency
     * record of each variant is its median round.
     */
    public static List<Row> run(Graph g, List<Variant> variants, List<Integer> threadCounts, LatencyProtocol.Options o,
                                double peakGflops, int rounds, PrintStream log) {
        List<Row> rows = new ArrayList<>();
        try (TorchBaseline pt = new TorchBaseline(g)) {
            for (int t : threadCounts) {
                List<Plan> plans = new ArrayList<>();
                for (Variant v : variants) {
                    log.printf(Locale.ROOT, "[bench] %s, %d thread(s): compile + tune ...%n", v.name(), t);
                    Plan compiled = FrontierCompiler.compile(v.graph(), new FrontierCompiler.Options(true, t,
                            Tuner.Cache.fromEnvironment()));
                    // time exactly what would ship: the plan decoded from artifact bytes
                    plans.add(Artifact.fromBytes(Artifact.toBytes(compiled)));
                }
                List<BenchNative.Built> natives = t == 1 ? BenchNative.build(variants, plans, log) : List.of();
                List<List<LatencyResult>> nativeRounds = new ArrayList<>();
                natives.forEach(n -> nativeRounds.add(new ArrayList<>()));
                List<Executor> executors = new ArrayList<>();
                for (Plan p : plans) {
                    executors.add(new Executor(p, t));
                }
                // the speed peer: the same dense weights exported to ONNX, run by ONNX Runtime (CPU), every round
                try (dev.frontier.worker.onnx.OrtModel ortModel = dev.frontier.worker.onnx.OrtModel.of(g, t)) {
                    List<LatencyResult> ort = new ArrayList<>();
                    List<LatencyResult> torch = new ArrayList<>();
                    List<List<LatencyResult>> mine = new ArrayList<>();
                    variants.forEach(v -> mine.add(new ArrayList<>()));
                    for (int r = 0; r < rounds; r++) {
                        log.printf(Locale.ROOT, "[bench] round %d/%d, %d thread(s), load %s: pytorch-djl dense ...%n", r + 1,
                                rounds, t, loadAverage());
                        LatencyResult ptr = pt.measure(t, o);
                        torch.add(ptr);
                        LatencyResult ortr = dev.frontier.worker.onnx.OrtLatency.measure(ortModel, t, o);
                        ort.add(ortr);
                        log.printf(Locale.ROOT, "[bench]   pytorch %.4f ms | onnxruntime %.4f ms", ptr.medianMs(),
                                ortr.medianMs());
                        for (int i = 0; i < variants.size(); i++) {
                            LatencyResult lr = LatencyProtocol.measure(executors.get(i), o);
                            mine.get(i).add(lr);
                            log.printf(Locale.ROOT, " | %s %.4f ms", variants.get(i).name(), lr.medianMs());
                        }
                        for (int i = 0; i < natives.size(); i++) {
                            LatencyResult lr = natives.get(i).runner().time(o);
                            nativeRounds.get(i).add(lr);
                            log.printf(Locale.ROOT, " | %s %.4f ms", natives.get(i).name(), lr.medianMs());
                        }
                        log.println();
                    }
                    rows.add(row("pytorch-djl-dense", torch, torch, ort, g.totalMacs(), List.of()));
                    rows.add(row("onnxruntime-dense", torch, ort, ort, g.totalMacs(), List.of()));
                    for (int i = 0; i < variants.size(); i++) {
                        rows.add(row(variants.get(i).name(), torch, mine.get(i), ort, plans.get(i).macs(),
                                layerRows(plans.get(i), medianRound(mine.get(i)), peakGflops * t)));
                    }
                    for (int i = 0; i < natives.size(); i++) {
                        rows.add(row(natives.get(i).name(), torch, nativeRounds.get(i), ort, natives.get(i).plan().macs(),
                                BenchNative.layerRows(natives.get(i).plan(), medianRound(nativeRounds.get(i)), peakGflops)));
                    }
                } finally {
                    executors.forEach(Executor::close);
                }
            }
        }
        return rows;
    }

    /** A row from per-round records: each ratio is taken within a round, then the median over rounds. */
    private static Row row(String name, List<LatencyResult> torch, List<LatencyResult> mine, List<LatencyResult> ort,
                           long macs, List<String[]> layers) {
        double[] ratios = new double[torch.size()];
        double[] ratiosP10 = new double[torch.size()];
        double[] vsOrt = new double[torch.size()];
        for (int r = 0; r < torch.size(); r++) {
            ratios[r] = torch.get(r).medianMs() / mine.get(r).medianMs();
            ratiosP10[r] = torch.get(r).p10Ms() / mine.get(r).p10Ms();
            vsOrt[r] = ort.get(r).medianMs() / mine.get(r).medianMs();
        }
        return new Row(name, mine.get(0).threads(), medianRound(mine), LatencyProtocol.percentile(ratios, 50),
                LatencyProtocol.percentile(ratiosP10, 50), LatencyProtocol.percentile(vsOrt, 50), macs, layers);
    }

    /** "1.02 0.98 0.91" from /proc/loadavg, printed beside every figure; "?" where there is none. */
    public static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "?";
        }
    }

    private static LatencyResult medianRound(List<LatencyResult> rs) {
        List<LatencyResult> sorted = new ArrayList<>(rs);
        sorted.sort(java.util.Comparator.comparingDouble(LatencyResult::medianMs));
        return sorted.get(sorted.size() / 2);
    }

    /** name, format, MACs, ms, GFLOP/s, % of peak for every op that does arithmetic. */
    static List<String[]> layerRows(Plan plan, LatencyResult r, double peak) {
        return layerRows(plan, r, peak, op -> op.format() + (op.macs() > 0 ? "/v" + op.variant() : ""));
    }

    /** The same rows with {@code kernel} naming what ran each op (JVM format and variant, or generated C). */
    static List<String[]> layerRows(Plan plan, LatencyResult r, double peak, java.util.function.Function<Op, String> kernel) {
        List<String[]> out = new ArrayList<>();
        for (Op op : plan.ops()) {
            Double ms = r.perLayerMs().get(op.name());
            if (ms == null) {
                continue;
            }
            double gflops = op.macs() == 0 ? 0 : 2.0 * op.macs() / (ms * 1e6);
            out.add(new String[] {op.name(), kernel.apply(op),
                    Long.toString(op.macs()), String.format(Locale.ROOT, "%.4f", ms),
                    op.macs() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", gflops),
                    op.macs() == 0 ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * gflops / peak)});
        }
        return out;
    }
}
