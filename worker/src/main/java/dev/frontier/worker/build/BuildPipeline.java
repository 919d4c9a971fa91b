package dev.frontier.worker.build;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.frontier.worker.compile.Artifact;
import dev.frontier.worker.compile.FrontierCompiler;
import dev.frontier.worker.compile.pass.FormatSelector;
import dev.frontier.worker.compress.ActivationCalibrator;
import dev.frontier.worker.compress.CompressionConfig;
import dev.frontier.worker.compress.Compressor;
import dev.frontier.worker.compress.InvalidConfigException;
import dev.frontier.worker.contract.BuildRecovery;
import dev.frontier.worker.contract.BuildTimings;
import dev.frontier.worker.data.DataSplits;
import dev.frontier.worker.data.Dataset;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Layer;
import dev.frontier.worker.model.Node;
import dev.frontier.worker.train.BatchNormRecalibration;
import dev.frontier.worker.train.Distillation;
import dev.frontier.worker.train.Evaluator;
import dev.frontier.worker.train.TrainConfig;
import dev.frontier.worker.train.Trainer;
import dev.frontier.worker.train.TrainingListener;

/**
 * The one build pipeline, used by the BUILD task, the {@code compress} CLI and the recovery table:
 * (gradual first stage) -> compress by the configuration (or continue from an inherited parent) ->
 * recalibrate batch norm -> evaluate before fine-tuning -> fine-tune with the masks held (distilling
 * from the dense model when asked) -> re-quantize -> refuse NaN weights -> calibrate the int8
 * activations -> compile. What differs between callers is data ({@link Request}, {@link Options}),
 * not steps.
 */
public final class BuildPipeline {
    /** The compress CLI's default {@code --seed}: the calibration slice does not depend on the trial. */
    public static final long CALIBRATION_SEED = 0;
    /** Adam 1e-3 recovered 3-4 pp more than 2e-4 after one epoch on the demo model (worker/COMPRESSION.md). */
    public static final float LEARNING_RATE = 1e-3f;

    private BuildPipeline() {
    }

    /**
     * How to fine-tune, calibrate and finish. {@code calibrationImages}: -1 = {@link ActivationCalibrator#DEFAULT_IMAGES}
     * when some conv will run on int8 kernels (the ops that use activation scales), 0 = never, N = N images
     * whenever the graph is quantized; {@code percentile} 100 = max-abs. {@code gradualFrom}: prune by this
     * milder configuration first and fine-tune {@code gradualEpochs} before the real one (null = one shot).
     * {@code compile}: also compile the artifact (the BUILD task ships it; the compress CLI writes the graph).
     * {@code trainingLog}: where fine-tuning reports (null = the build's progress).
     */
    public record Options(float learningRate, int batchSize, float distillTemperature, float distillWeight,
                          int calibrationImages, double percentile, long calibrationSeed,
                          CompressionConfig gradualFrom, double gradualEpochs, boolean compile,
                          TrainingListener trainingLog) {
        /** What a BUILD task uses. */
        public static final Options DEFAULTS = new Options(LEARNING_RATE, TrainConfig.fineTune(1).batchSize(),
                Distillation.DEFAULT_TEMPERATURE, Distillation.DEFAULT_WEIGHT, -1, 100, CALIBRATION_SEED, null, 0, true, null);
    }

    /**
     * What to build: the configuration and fidelity (total fine-tuning epochs), the seed, a training-set
     * limit (tests; 0 = all), the recovery steps, optionally a fine-tuned parent ({@code inheritedStart},
     * already compressed by the same configuration and fine-tuned {@code inheritedFidelity} epochs) to
     * continue from, and the images to evaluate before fine-tuning ({@code beforeEval}, null = skip).
     */
    public record Request(CompressionConfig config, double fidelity, long seed, int trainLimit, Recovery recovery,
                          Graph inheritedStart, double inheritedFidelity, Dataset beforeEval, Options options) {
    }

    /**
     * What a build makes: the final graph, its compiled artifact (null unless compiled), the compression
     * result, how many training images its int8 activations were calibrated on (0: not calibrated) with
     * the calibration's description, the accuracy before fine-tuning on {@code beforeEval} (null when not
     * evaluated), the gradual first stage's facts (null without one), what recovery ran, and timings (ms).
     */
    public record Built(Graph graph, byte[] artifact, Compressor.Result compressed, int calibrationImages,
                        String calibration, Double accuracyBeforeFineTune, Map<String, Object> gradual,
                        BuildRecovery recovery, BuildTimings timings) {
    }

    public static Built run(Graph model, DataSplits data, Request req, BuildProgress progress) throws BuildFailure {
        BuildTimings timings = new BuildTimings();
        BuildRecovery recovery = new BuildRecovery();
        Options o = req.options();
        boolean empty = req.config().isIdentity();
        Distillation teacher = new Distillation(model, o.distillTemperature(), o.distillWeight());
        TrainConfig ft = TrainConfig.fineTune(1).withLearningRate(o.learningRate()).withBatchSize(o.batchSize())
                .withSeed(req.seed());

        Graph source = model;
        Map<String, Object> gradual = null;
        if (o.gradualFrom() != null) {
            long t = System.nanoTime();
            Graph first = compress(model, o.gradualFrom());
            boolean distill = req.recovery().distillation();
            source = Trainer.train(first, trainSet(data, req), ft.withEpochs(o.gradualEpochs()), listener(o, progress, o.gradualEpochs()),
                    distill ? teacher : null);
            stopIfAsked(progress);
            timings.setGradualFineTune((double) ms(t));
            gradual = new LinkedHashMap<>();
            gradual.put("epochs", o.gradualEpochs());
            gradual.put("keptParams", first.keptParamCount());
            if (req.beforeEval() != null) {
                gradual.put("accuracy", Evaluator.accuracy(source, req.beforeEval()));
            }
        }

        long t = System.nanoTime();
        Compressor.Result compressed;
        try {
            compressed = Compressor.compress(source, req.config());
        } catch (InvalidConfigException e) {
            throw new BuildFailure("INVALID_CONFIG", e.getMessage(), false);
        }
        timings.setCompress((double) ms(t));

        Graph start = compressed.graph();
        double epochs = req.fidelity();
        Graph parent = req.inheritedStart();
        if (parent != null && sameStructure(parent, start)) {
            start = parent;
            epochs = Math.max(0, req.fidelity() - req.inheritedFidelity());
            recovery.setInheritedFidelity(req.inheritedFidelity());
        } else if (parent != null) {
            progress.report(0.03, "the inherited checkpoint does not match this configuration's graph; starting from the model");
        }
        boolean inherited = parent != null && start == parent;
        recovery.setInherited(inherited);

        boolean recalibrate = req.recovery().bnRecalibration() && !empty && !inherited
                && BatchNormRecalibration.hasBatchNorm(start);
        if (recalibrate) {
            progress.report(0.04, "recalibrating batch norm");
            t = System.nanoTime();
            start = BatchNormRecalibration.recalibrate(start, data.train(), BatchNormRecalibration.DEFAULT_IMAGES, req.seed());
            timings.setBnRecalibration((double) ms(t));
        }
        recovery.setBnRecalibration(recalibrate);

        Double before = null;
        if (req.beforeEval() != null && req.beforeEval().size() > 0) {
            t = System.nanoTime();
            before = Evaluator.accuracy(start, req.beforeEval());
            timings.setEvaluateBeforeFineTune((double) ms(t));
        }

        t = System.nanoTime();
        Graph tuned = start;
        boolean distill = req.recovery().distillation() && epochs > 0 && !empty;
        recovery.setDistillation(distill);
        if (epochs > 0) {
            tuned = Trainer.train(tuned, trainSet(data, req), ft.withEpochs(epochs), listener(o, progress, epochs), distill ? teacher : null);
            stopIfAsked(progress);
            tuned = Compressor.requantize(tuned);
        }
        timings.setFineTune((double) ms(t));
        // a diverged fine-tune (or a broken model) leaves NaN weights: such a model evaluates at chance and
        // no runtime can run it honestly, so the build fails and says why instead of reporting it
        String broken = nonFinite(tuned);
        if (broken != null) {
            throw new BuildFailure("DIVERGED", "parameter " + broken + " holds NaN or infinite values"
                    + (epochs > 0 ? " after " + epochs + " epochs of fine-tuning: the configuration is too destructive"
                            + " to recover at this learning rate" : " (the model itself)"), false);
        }

        // int8 convs quantize their input with a fixed calibrated scale, as a deployed int8 model does;
        // without one they take the input's max on every call (slower, and not what ships)
        int calibrationImages = 0;
        if (o.calibrationImages() < 0 && hasInt8Convs(tuned)) {
            calibrationImages = Math.min(ActivationCalibrator.DEFAULT_IMAGES, data.train().size());
        } else if (o.calibrationImages() > 0 && !tuned.quantized().isEmpty()) {
            calibrationImages = Math.min(o.calibrationImages(), data.train().size());
        }
        String calibration = null;
        if (calibrationImages > 0) {
            progress.report(0.74, "calibrating int8 activations");
            t = System.nanoTime();
            tuned = new ActivationCalibrator(o.percentile(), Runtime.getRuntime().availableProcessors())
                    .calibrate(tuned, data.train(), calibrationImages, o.calibrationSeed());
            calibration = tuned.metadata().get(ActivationCalibrator.INFO_KEY);
            timings.setCalibrate((double) ms(t));
        }

        byte[] artifact = null;
        if (o.compile()) {
            progress.report(0.75, "compiling");
            t = System.nanoTime();
            artifact = Artifact.toBytes(FrontierCompiler.compile(tuned, FrontierCompiler.Options.untuned()));
            timings.setCompile((double) ms(t));
        }
        return new Built(tuned, artifact, compressed, calibrationImages, calibration, before, gradual, recovery, timings);
    }

    /** The training images (data is only touched by the steps that need it: a compress-only run has none). */
    private static Dataset trainSet(DataSplits data, Request req) {
        return req.trainLimit() > 0 ? data.train().subset(req.trainLimit()) : data.train();
    }

    private static Graph compress(Graph g, CompressionConfig config) throws BuildFailure {
        try {
            return Compressor.compress(g, config).graph();
        } catch (InvalidConfigException e) {
            throw new BuildFailure("INVALID_GRADUAL_CONFIG", e.getMessage(), false);
        }
    }

    private static void stopIfAsked(BuildProgress progress) throws BuildFailure {
        if (progress.stopRequested()) {
            throw new BuildFailure("STOPPED", "the build was stopped during fine-tuning", true);
        }
    }

    /** The first parameter with a NaN or infinite value, or null when all are finite. */
    public static String nonFinite(Graph g) {
        for (Map.Entry<String, dev.frontier.worker.model.Tensor> p : g.params().entrySet()) {
            for (float v : p.getValue().data()) {
                if (!Float.isFinite(v)) {
                    return p.getKey();
                }
            }
        }
        return null;
    }

    /** Same nodes and parameter shapes: a checkpoint of this very configuration. */
    static boolean sameStructure(Graph a, Graph b) {
        if (!a.nodes().equals(b.nodes()) || !a.params().keySet().equals(b.params().keySet())) {
            return false;
        }
        for (String p : a.params().keySet()) {
            if (!java.util.Arrays.equals(a.param(p).shape(), b.param(p).shape())) {
                return false;
            }
        }
        return true;
    }

    /** Whether the compiler will run some conv on integer kernels (the ops that use activation scales). */
    static boolean hasInt8Convs(Graph g) {
        for (Node n : g.weightedNodes()) {
            if (n.layer() instanceof Layer.Conv2d && FormatSelector.isIntegerKernelable(g.quantized(n.weightName()))) {
                return true;
            }
        }
        return false;
    }

    /** Fine-tuning is most of a build: it maps onto 5..75 % of its progress (unless the caller logs it itself). */
    private static TrainingListener listener(Options o, BuildProgress progress, double epochs) {
        if (o.trainingLog() != null) {
            return o.trainingLog();
        }
        return new TrainingListener() {
            @Override
            public void onProgress(TrainingListener.Progress p) {
                progress.report(0.05 + 0.7 * p.fraction(), String.format(Locale.ROOT,
                        "fine-tuning %.2f epochs: step %d/%d loss %.3f", epochs, p.step(), p.totalSteps(), p.loss()));
            }

            @Override
            public boolean stopRequested() {
                return progress.stopRequested();
            }
        };
    }

    private static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
