package dev.frontier.worker.agent;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.frontier.worker.compile.Artifact;
import dev.frontier.worker.compile.FrontierCompiler;
import dev.frontier.worker.compile.Plan;
import dev.frontier.worker.compile.pass.FormatSelector;
import dev.frontier.worker.compress.ActivationCalibrator;
import dev.frontier.worker.compress.Compressor;
import dev.frontier.worker.compress.InvalidConfigException;
import dev.frontier.worker.data.DataSplits;
import dev.frontier.worker.data.Dataset;
import dev.frontier.worker.data.DatasetException;
import dev.frontier.worker.data.Datasets;
import dev.frontier.worker.measure.Accuracy;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Layer;
import dev.frontier.worker.model.Node;
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
final class BuildTask {
    private final ModelLoader models;
    private final ArtifactCache artifacts;
    private final AgentConfig config;

    BuildTask(ModelLoader models, ArtifactCache artifacts, AgentConfig config) {
        this.models = models;
        this.artifacts = artifacts;
        this.config = config;
    }

    TaskResult run(Lease lease, Progress progress) throws TaskFailure {
        progress.report(0.02, "loading model and dataset");
        Graph model = models.load(lease);
        DataSplits data = dataset(lease);
        Built b = build(model, data, lease.config(), lease.fidelity(), lease.taskId(), config.trainLimit(), progress);
        Map<String, Object> timings = b.timings();

        progress.report(0.8, "evaluating the compiled artifact");
        long t = System.nanoTime();
        Plan loaded = Artifact.fromBytes(b.artifact());
        Accuracy.Result acc = Accuracy.evaluate(loaded, data.test(), config.evalLimit(),
                Runtime.getRuntime().availableProcessors());
        timings.put("evaluate", ms(t));

        progress.report(0.95, "uploading artifact");
        t = System.nanoTime();
        String sha = upload(b.artifact());
        String onnxSha = uploadOnnx(b.graph());
        timings.put("upload", ms(t));

        Graph tuned = b.graph();
        ObjectNode r = CoordinatorClient.object();
        r.put("accuracy", acc.accuracy());
        r.put("evaluatedImages", acc.total());
        r.put("evaluatedSplit", "test");
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
        r.set("timings", CoordinatorClient.JSON.valueToTree(timings));
        r.set("compression", CoordinatorClient.JSON.valueToTree(b.compressed().report().toMap()));
        r.put("artifactSha256", sha);
        if (onnxSha != null) {
            r.put("onnxSha256", onnxSha);
        }
        progress.report(1, "built");
        return new TaskResult(r, sha);
    }

    /**
     * What a build makes before it is evaluated and uploaded: the final graph, its compiled artifact,
     * the compression result, how many training images its int8 activations were calibrated on (0: not
     * calibrated) with the calibration's description, and timings so far (ms).
     */
    record Built(Graph graph, byte[] artifact, Compressor.Result compressed, int calibrationImages,
                 String calibration, Map<String, Object> timings) {
    }

    /**
     * Compress by {@code config}, fine-tune {@code fidelity} epochs (on the first {@code trainLimit}
     * training images when > 0) with the masks held, calibrate the int8 activations, compile.
     */
    static Built build(Graph model, DataSplits data, JsonNode config, double fidelity, long seed, int trainLimit,
                       Progress progress) throws TaskFailure {
        Map<String, Object> timings = new LinkedHashMap<>();
        long t = System.nanoTime();
        Compressor.Result compressed;
        try {
            compressed = Compressor.compress(model, config == null || config.isMissingNode() || config.isNull()
                    ? "{}" : config.toString());
        } catch (InvalidConfigException e) {
            throw new TaskFailure("INVALID_CONFIG", e.getMessage(), false);
        }
        timings.put("compress", ms(t));

        t = System.nanoTime();
        Graph tuned = compressed.graph();
        if (fidelity > 0) {
            Dataset train = trainLimit > 0 ? data.train().subset(trainLimit) : data.train();
            // Adam 1e-3 recovered 3-4 pp more than 2e-4 after one epoch on the demo model (worker/COMPRESSION.md)
            tuned = Trainer.train(tuned, train, TrainConfig.fineTune(fidelity).withLearningRate(1e-3f)
                            .withSeed(seed),
                    listener(progress, fidelity));
            if (progress.lost()) {
                throw new TaskFailure("LEASE_LOST", "the lease was lost during fine-tuning", true);
            }
            tuned = Compressor.requantize(tuned);
        }
        timings.put("fineTune", ms(t));

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
        return new Built(tuned, artifact, compressed, calibrationImages, calibration, timings);
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

    private DataSplits dataset(Lease lease) throws TaskFailure {
        try {
            return Datasets.resolve(lease.dataset());
        } catch (DatasetException e) {
            throw new TaskFailure("DATASET", e.getMessage(), false);
        }
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
