package dev.frontier.worker.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.frontier.worker.compile.Artifact;
import dev.frontier.worker.compile.FrontierCompiler;
import dev.frontier.worker.compile.Plan;
import dev.frontier.worker.compile.nativ.NativeBundle;
import dev.frontier.worker.compile.pass.FormatSelector;
import dev.frontier.worker.compress.ActivationCalibrator;
import dev.frontier.worker.compress.Compressor;
import dev.frontier.worker.compress.InvalidConfigException;
import dev.frontier.worker.data.DataSplits;
import dev.frontier.worker.data.Dataset;
import dev.frontier.worker.measure.Accuracy;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Layer;
import dev.frontier.worker.model.ModelFile;
import dev.frontier.worker.model.Node;
import dev.frontier.worker.train.BatchNormRecalibration;
import dev.frontier.worker.train.Distillation;
import dev.frontier.worker.train.Evaluator;
import dev.frontier.worker.train.TrainConfig;
import dev.frontier.worker.train.Trainer;
import dev.frontier.worker.train.TrainingListener;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * BUILD: compress by the trial's configuration, fine-tune with the masks held for the trial's
 * fidelity, calibrate int8 activations (when some conv runs int8), compile, evaluate the compiled
 * artifact, upload it. The accuracy reported is that of the
 * artifact's own bytes (parsed back from what is uploaded), not of the float graph it came from.
 */
public final class BuildTask {
    private final ModelLoader models;
    private final ArtifactCache artifacts;
    private final AgentConfig config;
    private final LeaseDatasets datasets;

    BuildTask(ModelLoader models, ArtifactCache artifacts, AgentConfig config) {
        this.models = models;
        this.artifacts = artifacts;
        this.config = config;
        this.datasets = new LeaseDatasets(artifacts, config.workDir());
    }

    TaskResult run(Lease lease, Progress progress) throws TaskFailure {
        progress.report(0.02, "loading model and dataset");
        Graph model = models.load(lease);
        DataSplits data = datasets.splits(lease);
        Request req = new Request(lease.config(), lease.fidelity(), lease.taskId(), config.trainLimit(),
                lease.recovery(), inheritedStart(lease), lease.inherit() == null ? 0 : lease.inherit().fidelity());
        Built b = build(model, data, req, config.evalLimit(), progress);
        Map<String, Object> timings = b.timings();

        // the search selects on validation; test is evaluated for reporting only (never read by the search)
        progress.report(0.8, "evaluating the compiled artifact (validation and test splits)");
        long t = System.nanoTime();
        Plan loaded = Artifact.fromBytes(b.artifact());
        int threads = Runtime.getRuntime().availableProcessors();
        Accuracy.Result val = Accuracy.evaluate(loaded, data.validation(), config.evalLimit(), threads);
        Accuracy.Result acc = Accuracy.evaluate(loaded, data.test(), config.evalLimit(), threads);
        timings.put("evaluate", ms(t));

        progress.report(0.95, "uploading artifact");
        t = System.nanoTime();
        String sha = upload(b.artifact());
        String onnxSha = uploadOnnx(b.graph());
        String nativeSha = uploadNativeBundle(loaded);
        // the fine-tuned graph itself (masks, quantization state): a promoted or polished trial continues from it
        String checkpointSha = upload(ModelFile.toBytes(b.graph()));
        timings.put("upload", ms(t));

        Graph tuned = b.graph();
        ObjectNode r = CoordinatorClient.object();
        r.put("accuracy", acc.accuracy());
        r.put("evaluatedImages", acc.total());
        r.put("evaluatedSplit", "test");
        r.put("validationAccuracy", val.accuracy());
        r.put("validationImages", val.total());
        if (b.accuracyBeforeFineTune() != null) {
            r.put("accuracyBeforeFineTune", b.accuracyBeforeFineTune());
        }
        r.put("sizeBytes", b.artifact().length);
        r.put("params", tuned.keptParamCount());
        r.put("denseParams", tuned.paramCount());
        r.put("macs", tuned.totalKeptMacs());
        r.put("denseMacs", tuned.totalMacs());
        r.put("sparsity", 1.0 - (double) tuned.keptParamCount() / Math.max(1, model.paramCount()));
        r.put("fineTuneEpochs", lease.fidelity());
        r.put("calibrationImages", b.calibrationImages());
        if (b.calibration() != null) {
            r.put("activationCalibration", b.calibration());
        }
        r.set("recovery", CoordinatorClient.JSON.valueToTree(b.recovery()));
        r.set("timings", CoordinatorClient.JSON.valueToTree(timings));
        r.set("compression", CoordinatorClient.JSON.valueToTree(b.compressed().report().toMap()));
        r.put("artifactSha256", sha);
        r.put("checkpointSha256", checkpointSha);
        if (onnxSha != null) {
            r.put("onnxSha256", onnxSha);
        }
        // what each runtime times: the coordinator queues one MEASURE per (device, runtime) with one of these
        ObjectNode variants = r.putObject("runtimeArtifacts");
        variants.put("frontier-jvm", sha);
        if (nativeSha != null) {
            variants.put("frontier-native", nativeSha);
        }
        if (onnxSha != null) {
            variants.put("onnxruntime", onnxSha);
        }
        progress.report(1, "built");
        return new TaskResult(r, sha);
    }

    /** The parent's fine-tuned graph when the lease inherits, else null. */
    private Graph inheritedStart(Lease lease) throws TaskFailure {
        if (lease.inherit() == null) {
            return null;
        }
        Path file = ModelLoader.fetch(artifacts, lease.inherit().checkpointSha256(), "inherited checkpoint");
        try {
            return ModelFile.fromBytes(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            Agent.log("inherited checkpoint " + lease.inherit().checkpointSha256() + " unusable, starting from the model: "
                    + e.getMessage());
            return null;
        }
    }

    /**
     * How to build: the trial's compression config and fidelity (total fine-tuning epochs), the seed,
     * a training-set limit (tests; 0 = all), the recovery steps, and optionally a fine-tuned parent
     * ({@code inheritedStart}, already compressed by the same config and fine-tuned
     * {@code inheritedFidelity} epochs) to continue from instead of compressing the model afresh.
     */
    public record Request(JsonNode config, double fidelity, long seed, int trainLimit, Lease.Recovery recovery,
                   Graph inheritedStart, double inheritedFidelity) {
        public static Request plain(JsonNode config, double fidelity, long seed, int trainLimit) {
            return new Request(config, fidelity, seed, trainLimit, Lease.Recovery.NONE, null, 0);
        }
    }

    /**
     * What a build makes before it is evaluated and uploaded: the final graph, its compiled artifact,
     * the compression result, how many training images its int8 activations were calibrated on (0: not
     * calibrated) with the calibration's description, the validation accuracy of the float graph before
     * fine-tuning (null when not evaluated), what recovery ran, and timings so far (ms).
     */
    public record Built(Graph graph, byte[] artifact, Compressor.Result compressed, int calibrationImages,
                 String calibration, Double accuracyBeforeFineTune, Map<String, Object> recovery,
                 Map<String, Object> timings) {
    }

    static Built build(Graph model, DataSplits data, JsonNode config, double fidelity, long seed, int trainLimit,
                       Progress progress) throws TaskFailure {
        return build(model, data, Request.plain(config, fidelity, seed, trainLimit), 0, progress);
    }

    /**
     * Compress by the request's config (or continue from its inherited parent), recalibrate batch norm,
     * fine-tune with the masks held (distilling from {@code model} when asked), calibrate the int8
     * activations, compile. {@code evalLimit} bounds the before-fine-tuning evaluation (0 = whole split).
     */
    public static Built build(Graph model, DataSplits data, Request req, int evalLimit, Progress progress) throws TaskFailure {
        Map<String, Object> timings = new LinkedHashMap<>();
        Map<String, Object> recovery = new LinkedHashMap<>();
        long t = System.nanoTime();
        JsonNode config = req.config();
        boolean empty = config == null || config.isMissingNode() || config.isNull() || config.isEmpty();
        Compressor.Result compressed;
        try {
            compressed = Compressor.compress(model, empty ? "{}" : config.toString());
        } catch (InvalidConfigException e) {
            throw new TaskFailure("INVALID_CONFIG", e.getMessage(), false);
        }
        timings.put("compress", ms(t));

        Graph start = compressed.graph();
        double epochs = req.fidelity();
        Graph parent = req.inheritedStart();
        if (parent != null && sameStructure(parent, start)) {
            start = parent;
            epochs = Math.max(0, req.fidelity() - req.inheritedFidelity());
            recovery.put("inheritedFidelity", req.inheritedFidelity());
        } else if (parent != null) {
            Agent.log("inherited checkpoint does not match this configuration's graph; starting from the model");
        }
        boolean inherited = parent != null && start == parent;
        recovery.put("inherited", inherited);

        boolean recalibrate = req.recovery().bnRecalibration() && !empty && !inherited
                && BatchNormRecalibration.hasBatchNorm(start);
        if (recalibrate) {
            progress.report(0.04, "recalibrating batch norm");
            t = System.nanoTime();
            start = BatchNormRecalibration.recalibrate(start, data.train(), BatchNormRecalibration.DEFAULT_IMAGES,
                    req.seed());
            timings.put("bnRecalibration", ms(t));
        }
        recovery.put("bnRecalibration", recalibrate);

        Double before = null;
        if (!empty && epochs > 0 && data.validation().size() > 0) {
            t = System.nanoTime();
            Dataset val = evalLimit > 0 ? data.validation().subset(evalLimit) : data.validation();
            before = Evaluator.accuracy(start, val);
            timings.put("evaluateBeforeFineTune", ms(t));
        }

        t = System.nanoTime();
        Graph tuned = start;
        boolean distill = req.recovery().distillation() && epochs > 0 && !empty;
        recovery.put("distillation", distill);
        if (epochs > 0) {
            Dataset train = req.trainLimit() > 0 ? data.train().subset(req.trainLimit()) : data.train();
            // Adam 1e-3 recovered 3-4 pp more than 2e-4 after one epoch on the demo model (worker/COMPRESSION.md)
            tuned = Trainer.train(tuned, train, TrainConfig.fineTune(epochs).withLearningRate(1e-3f)
                            .withSeed(req.seed()),
                    listener(progress, epochs), distill ? Distillation.from(model) : null);
            if (progress.lost()) {
                throw new TaskFailure("LEASE_LOST", "the lease was lost during fine-tuning", true);
            }
            tuned = Compressor.requantize(tuned);
        }
        timings.put("fineTune", ms(t));
        // a diverged fine-tune (or a broken model) leaves NaN weights: such an artifact evaluates at chance
        // and no runtime can run it honestly, so the build fails and says why instead of reporting it
        String broken = nonFinite(tuned);
        if (broken != null) {
            throw new TaskFailure("DIVERGED", "parameter " + broken + " holds NaN or infinite values"
                    + (epochs > 0 ? " after " + epochs + " epochs of fine-tuning: the configuration is too destructive"
                            + " to recover at this learning rate" : " (the model itself)"), false);
        }

        // int8 convs quantize their input with a fixed calibrated scale, as a deployed int8 model does;
        // without one they take the input's max on every call (slower, and not what ships). Same slice
        // and method as the compress CLI's default, so a trial and a CLI run give the same scales.
        int calibrationImages = 0;
        String calibration = null;
        if (hasInt8Convs(tuned)) {
            progress.report(0.74, "calibrating int8 activations");
            t = System.nanoTime();
            calibrationImages = Math.min(ActivationCalibrator.DEFAULT_IMAGES, data.train().size());
            tuned = ActivationCalibrator.maxAbs().calibrate(tuned, data.train(), calibrationImages,
                    CALIBRATION_SEED);
            calibration = tuned.metadata().get(ActivationCalibrator.INFO_KEY);
            timings.put("calibrate", ms(t));
        }

        progress.report(0.75, "compiling");
        t = System.nanoTime();
        byte[] artifact = Artifact.toBytes(FrontierCompiler.compile(tuned, FrontierCompiler.Options.untuned()));
        timings.put("compile", ms(t));
        return new Built(tuned, artifact, compressed, calibrationImages, calibration, before, recovery, timings);
    }

    /** The first parameter with a NaN or infinite value, or null when all are finite. */
    static String nonFinite(Graph g) {
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

    /** The compress CLI's default {@code --seed}: the calibration slice does not depend on the trial. */
    static final long CALIBRATION_SEED = 0;

    /** Whether the compiler will run some conv on integer kernels (the ops that use activation scales). */
    static boolean hasInt8Convs(Graph g) {
        for (Node n : g.weightedNodes()) {
            if (n.layer() instanceof Layer.Conv2d && FormatSelector.isIntegerKernelable(g.quantized(n.weightName()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The same compressed weights as ONNX (zeros where pruned, QDQ for int8), for devices that run
     * ONNX Runtime. Optional: a graph the exporter cannot express still yields a Frontier artifact.
     */
    private String uploadOnnx(Graph g) throws TaskFailure {
        byte[] onnx;
        try {
            onnx = dev.frontier.worker.onnx.OnnxModels.write(g);
        } catch (RuntimeException e) {
            Agent.log("no ONNX export for this trial: " + e.getMessage());
            return null;
        }
        return upload(onnx);
    }

    /**
     * The generated C source bundle (zip) of the compiled plan, for devices with the native runtime:
     * they compile it with their own toolchain. Optional: a plan with a layer the generator does not
     * support yet has no native variant.
     */
    private String uploadNativeBundle(Plan plan) throws TaskFailure {
        byte[] zip;
        try {
            zip = NativeBundle.zip(plan);
        } catch (RuntimeException e) {
            Agent.log("no native bundle for this trial: " + e.getMessage());
            return null;
        }
        return upload(zip);
    }

    private String upload(byte[] artifact) throws TaskFailure {
        try {
            return artifacts.upload(artifact);
        } catch (CoordinatorException e) {
            throw new TaskFailure("UPLOAD", "cannot upload the artifact: " + e.getMessage(), true);
        }
    }

    /** Fine-tuning is most of a build: it maps onto 5..75 % of the lease's progress. */
    private static TrainingListener listener(Progress progress, double epochs) {
        return new TrainingListener() {
            @Override
            public void onProgress(TrainingListener.Progress p) {
                progress.report(0.05 + 0.7 * p.fraction(), String.format(java.util.Locale.ROOT,
                        "fine-tuning %.2f epochs: step %d/%d loss %.3f", epochs, p.step(), p.totalSteps(), p.loss()));
            }

            @Override
            public boolean stopRequested() {
                return progress.lost();
            }
        };
    }

    static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
