package dev.frontier.worker.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.frontier.worker.build.BuildFailure;
import dev.frontier.worker.build.BuildPipeline;
import dev.frontier.worker.build.BuildProgress;
import dev.frontier.worker.build.Recovery;
import dev.frontier.worker.compress.ActivationCalibrator;
import dev.frontier.worker.compress.CompressionConfig;
import dev.frontier.worker.compress.Compressor;
import dev.frontier.worker.compress.InvalidConfigException;
import dev.frontier.worker.compress.LayerReport;
import dev.frontier.worker.data.DataSplits;
import dev.frontier.worker.data.Dataset;
import dev.frontier.worker.data.DatasetException;
import dev.frontier.worker.data.Datasets;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.InvalidModelException;
import dev.frontier.worker.model.ModelFile;
import dev.frontier.worker.train.Distillation;
import dev.frontier.worker.train.DjlEngine;
import dev.frontier.worker.train.Evaluator;
import dev.frontier.worker.train.TrainConfig;
import dev.frontier.worker.train.TrainingListener;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code compress}: applies a compression configuration to a model file, fine-tunes it with the masks
 * held fixed, re-quantizes, calibrates int8 activations, and writes the model and a JSON report.
 */
public final class CompressCommand implements Command {
    private static final JsonMapper JSON = JsonMapper.builder()
            .changeDefaultPropertyInclusion(i -> i.withValueInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)).build();
    static final double DEFAULT_LR = 1e-3;

    @Override
    public String help() {
        return """
                usage: frontier-worker compress --model FILE --config CONFIG.json --out FILE
                                                [--fine-tune-epochs X] [--report REPORT.json] [--dataset fashion-mnist]
                                                [--lr 1e-3] [--batch 128] [--seed 0] [--calibrate N] [--percentile 100]
                                                [--eval-subset N] [--no-eval] [--threads N] [--json]
                                                [--gradual-from CONFIG --gradual-epochs E]
                                                [--distill [--distill-temperature 4] [--distill-weight 0.9]] [--recalibrate-bn]

                Prunes and quantizes the model as the configuration says (docs/contracts.md; e.g.
                {"default": {"prune": {"scheme": "pattern", "patterns": 8, "connectivity": 0.72}}}),
                then fine-tunes it for X epochs (fractional allowed; default 0) on the dataset's training
                split with the pruning masks held fixed (Adam, cosine schedule, default lr 1e-3), re-quantizes the
                quantized layers from the fine-tuned weights, and records int8 activation ranges from N
                training images (default 256 when any layer is quantized, else 0; --percentile below 100
                clips outliers). Accuracy (top-1, test split) is measured on the original, the
                compressed model before fine-tuning and after; --eval-subset evaluates on the first N
                test images only, --no-eval skips evaluation (no dataset needed when X is 0 too). The
                original's accuracy is read from its metadata (accuracy.test, written by train) when
                the whole test split is used.
                --config takes a file, or inline JSON starting with '{'.
                The report (--report) has per-layer scheme, sparsity, kept params, MACs and FLOPs, the
                totals and the accuracies. --json prints one JSON object as the last line.
                --gradual-from CONFIG prunes gradually: first by that (milder) configuration with E
                epochs of masked fine-tuning (default 1), then by --config on top of the result (its
                masks are kept) before the --fine-tune-epochs. --distill adds knowledge distillation
                from the original model to every fine-tuning: the loss mixes the labels' cross-entropy
                with the KL divergence to the original's softened outputs (temperature T, weight w).
                --recalibrate-bn re-estimates batch-norm statistics after pruning, before fine-tuning.
                The steps are the BUILD task's (one pipeline: worker build/BuildPipeline).
                """;
    }

    @Override
    public int run(Args args) {
        Path modelPath = args.existingFile("model");
        String configArg = args.string("config");
        Path out = args.path("out");
        double epochs = args.number("fine-tune-epochs", 0);
        String reportArg = args.string("report", null);
        String datasetName = args.string("dataset", Datasets.FASHION_MNIST);
        TrainConfig ftDefaults = TrainConfig.fineTune(Math.max(0, epochs));
        // 1e-3 rather than TrainConfig.fineTune's 2e-4: after 8x pruning of the 3x3 convs it recovered
        // 4.4 pp more (pattern) and 2.8 pp more (unstructured) in one epoch on the VGG demo (COMPRESSION.md)
        double lr = args.number("lr", DEFAULT_LR);
        int batch = args.integer("batch", ftDefaults.batchSize());
        long seed = args.integer("seed", 0);
        int calibrate = args.integer("calibrate", -1);
        double percentile = args.number("percentile", 100);
        int evalSubset = args.integer("eval-subset", Integer.MAX_VALUE);
        boolean noEval = args.flag("no-eval");
        int threads = args.integer("threads", 0);
        boolean json = args.flag("json");
        String gradualArg = args.string("gradual-from", null);
        double gradualEpochs = args.number("gradual-epochs", 1);
        boolean distill = args.flag("distill");
        boolean recalibrateBn = args.flag("recalibrate-bn");
        double temperature = args.number("distill-temperature", Distillation.DEFAULT_TEMPERATURE);
        double distillWeight = args.number("distill-weight", Distillation.DEFAULT_WEIGHT);
        args.rejectUnknown();

        if (gradualArg != null && !(gradualEpochs > 0 && !Double.isInfinite(gradualEpochs))) {
            throw new UsageException("--gradual-epochs must be a number > 0, got " + gradualEpochs);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature) || !(distillWeight >= 0 && distillWeight <= 1)) {
            throw new UsageException("--distill-temperature must be > 0 and --distill-weight in [0, 1], got "
                    + temperature + " and " + distillWeight);
        }

        if (!(epochs >= 0) || Double.isInfinite(epochs)) {
            throw new UsageException("--fine-tune-epochs must be a number >= 0, got " + epochs);
        }
        if (!(percentile > 50 && percentile <= 100)) {
            throw new UsageException("--percentile must be in (50, 100], got " + percentile);
        }
        if (evalSubset < 1 || threads < 0) {
            throw new UsageException("--eval-subset must be >= 1 and --threads >= 0");
        }
        checkParent(out, "out");
        Path reportPath = reportArg == null ? null : Path.of(reportArg);
        if (reportPath != null) {
            checkParent(reportPath, "report");
        }
        TrainConfig ft;
        try {
            ft = ftDefaults.withEpochs(epochs).withLearningRate((float) lr).withBatchSize(batch).withSeed(seed);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        }

        Graph model;
        try {
            model = dev.frontier.worker.onnx.ModelFormats.load(modelPath);
        } catch (InvalidModelException e) {
            throw new UsageException("--model: " + e.getMessage(), e);
        }
        CompressionConfig config;
        String configText = readConfig(configArg, "config");
        try {
            config = CompressionConfig.parse(configText);
        } catch (InvalidConfigException e) {
            throw new UsageException("--config: " + e.getMessage(), e);
        }
        CompressionConfig gradualConfig = null;
        if (gradualArg != null) {
            try {
                gradualConfig = CompressionConfig.parse(readConfig(gradualArg, "gradual-from"));
            } catch (InvalidConfigException e) {
                throw new UsageException("--gradual-from: " + e.getMessage(), e);
            }
        }
        boolean quantized = config.defaults().quantize() != null
                || config.layers().values().stream().anyMatch(l -> l.quantize() != null);
        if (calibrate < 0) {
            calibrate = quantized ? ActivationCalibrator.DEFAULT_IMAGES : 0;
        }

        PrintStream log = System.out;
        Map<String, Double> timings = new LinkedHashMap<>();
        boolean needData = epochs > 0 || !noEval || calibrate > 0 || gradualConfig != null;
        DataSplits data = null;
        if (needData) {
            try {
                data = Datasets.resolve(datasetName);
            } catch (DatasetException e) {
                throw new UsageException(e.getMessage(), e);
            }
            DjlEngine.get();
        }
        Dataset testSet = data == null ? null : data.test().subset(Math.min(evalSubset, data.test().size()));
        if (epochs > 0) {
            log.printf(Locale.ROOT, "fine-tuning %s epochs with masks held fixed (Adam, lr %.2e, cosine, batch %d, %d threads%s)%n",
                    epochs, ft.learningRate(), ft.batchSize(), DjlEngine.threads(), !distill ? ""
                            : String.format(Locale.ROOT, ", distillation T %.3g weight %.3g", temperature, distillWeight));
        }
        // the same pipeline as a BUILD task, with the CLI's knobs: no BN recalibration unless asked, the
        // test split evaluated before fine-tuning, the graph written instead of compiled
        BuildPipeline.Options options = new BuildPipeline.Options(ft.learningRate(), ft.batchSize(), (float) temperature,
                (float) distillWeight, calibrate, percentile, seed, gradualConfig, gradualEpochs, false,
                TrainingListener.printing(log));
        BuildPipeline.Request request = new BuildPipeline.Request(config, epochs, seed, 0, new Recovery(recalibrateBn, distill),
                null, 0, noEval ? null : testSet, options);
        BuildPipeline.Built built;
        try {
            built = BuildPipeline.run(model, data, request, BuildProgress.NONE);
        } catch (BuildFailure e) {
            String option = switch (e.kind()) {
                case "INVALID_CONFIG" -> "--config: ";
                case "INVALID_GRADUAL_CONFIG" -> "--gradual-from: ";
                default -> "";
            };
            throw new UsageException(option + e.getMessage(), e);
        }
        JSON.convertValue(built.timings(), new tools.jackson.core.type.TypeReference<Map<String, Double>>() {
        }).forEach(timings::put);
        Compressor.Result result = built.compressed();
        log.printf(Locale.ROOT, "compressed %s: params %d -> %d, MACs %.2fM -> %.2fM, weight sparsity %.1f%%%n",
                modelPath.getFileName(), result.report().params(), result.report().keptParams(),
                result.report().macs() / 1e6, result.report().keptMacs() / 1e6, 100 * result.report().sparsity());
        result.report().notes().forEach(n -> log.println("note: " + n));
        Map<String, Object> gradualReport = null;
        if (built.gradual() != null) {
            gradualReport = new LinkedHashMap<>(built.gradual());
            gradualReport.put("config", JSON.readTree(readConfig(gradualArg, "gradual-from")));
            gradualReport.computeIfPresent("accuracy", (k, v) -> round((Double) v));
            log.printf(Locale.ROOT, "gradual pruning, first stage: %s weights kept, %s epochs%s%n", built.gradual().get("keptParams"),
                    gradualEpochs, built.gradual().containsKey("accuracy")
                            ? String.format(Locale.ROOT, ", accuracy %.2f%%", (Double) built.gradual().get("accuracy")) : "");
        }

        Double baseline = null;
        Double before = built.accuracyBeforeFineTune();
        Double after = null;
        Graph tuned = built.graph();
        if (!noEval) {
            String recorded = model.metadata().get("accuracy.test");
            baseline = recorded != null && testSet.size() == data.test().size() ? parse(recorded) : null;
            if (baseline == null) {
                baseline = Evaluator.accuracy(model, testSet);
            }
            log.printf(Locale.ROOT, "accuracy on %d test images: original %.2f%%, compressed %.2f%%%n", testSet.size(),
                    baseline, before);
            if (epochs > 0) {
                long e0 = System.nanoTime();
                after = Evaluator.accuracy(tuned, testSet);
                timings.put("evaluate", ms(e0));
                log.printf(Locale.ROOT, "accuracy after fine-tuning: %.2f%%%n", after);
            } else {
                after = before;
            }
        }
        Graph.Builder meta = tuned.toBuilder().metadata("compress.config", JSON.writeValueAsString(JSON.readTree(configText)))
                .metadata("compress.fineTuneEpochs", Double.toString(epochs));
        if (after != null) {
            meta.metadata("accuracy.test", String.format(Locale.ROOT, "%.2f", after));
        }
        tuned = meta.build();
        ModelFile.write(tuned, out);

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("model", modelPath.toString());
        report.put("out", out.toString());
        report.put("config", JSON.readTree(configText));
        report.put("dataset", needData ? datasetName : null);
        report.put("fineTuneEpochs", epochs);
        Map<String, Object> ftReport = new LinkedHashMap<>();
        ftReport.put("optimizer", ft.optimizer().name().toLowerCase(Locale.ROOT));
        ftReport.put("learningRate", (double) ft.learningRate());
        ftReport.put("schedule", ft.schedule().name().toLowerCase(Locale.ROOT));
        ftReport.put("batch", ft.batchSize());
        ftReport.put("seed", ft.seed());
        if (distill) {
            // Float.toString: 0.9f as itself, not 0.8999999761581421
            ftReport.put("distillation", Map.of("teacher", "original",
                    "temperature", Double.parseDouble(Float.toString((float) temperature)),
                    "weight", Double.parseDouble(Float.toString((float) distillWeight))));
        }
        report.put("fineTune", ftReport);
        if (gradualReport != null) {
            report.put("gradual", gradualReport);
        }
        report.put("baselineAccuracy", round(baseline));
        report.put("accuracyBeforeFineTune", round(before));
        report.put("accuracy", round(after));
        report.put("evaluatedImages", testSet == null || noEval ? 0 : testSet.size());
        report.put("calibrationImages", built.calibrationImages());
        report.put("recovery", built.recovery());
        report.putAll(result.report().toMap());
        report.put("timings", timings);
        if (reportPath != null) {
            try {
                Files.writeString(reportPath, JSON.writer().with(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(report) + "\n");
            } catch (IOException e) {
                throw new UsageException("--report: cannot write " + reportPath + ": " + e.getMessage(), e);
            }
        }
        printTable(log, result.report().layers());
        log.printf(Locale.ROOT, "wrote %s%s%n", out, reportPath == null ? "" : " and " + reportPath);
        if (json) {
            log.println(JSON.writeValueAsString(report));
        }
        log.flush();
        return 0;
    }

    private static void printTable(PrintStream log, List<LayerReport> layers) {
        log.printf(Locale.ROOT, "%-16s %-14s %-14s %-16s %10s %10s %8s %10s%n", "layer", "op", "scheme", "quantization",
                "weights", "kept", "sparsity", "kept MACs");
        for (LayerReport l : layers) {
            log.printf(Locale.ROOT, "%-16s %-14s %-14s %-16s %10d %10d %7.1f%% %10d%n", l.name(), l.op(), l.scheme(),
                    l.quantization(), l.weights(), l.keptWeights(), 100 * l.sparsity(), l.keptMacs());
        }
    }

    private static String readConfig(String arg, String option) {
        if (arg.trim().startsWith("{")) {
            return arg;
        }
        Path p = Path.of(arg);
        if (!Files.isRegularFile(p)) {
            throw new UsageException("--" + option + ": no file at " + p + " (give a JSON file, or inline JSON starting with '{')");
        }
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UsageException("--" + option + ": cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    private static void checkParent(Path p, String option) {
        Path parent = p.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new UsageException("--" + option + ": directory " + parent + " does not exist");
        }
    }

    private static double ms(long t0) {
        return Math.round((System.nanoTime() - t0) / 1e5) / 10.0;
    }

    private static Double parse(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double round(Double v) {
        return v == null ? null : Math.round(v * 100) / 100.0;
    }
}
