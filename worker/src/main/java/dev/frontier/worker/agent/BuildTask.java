package dev.frontier.worker.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.frontier.worker.build.BuildFailure;
import dev.frontier.worker.build.BuildPipeline;
import dev.frontier.worker.build.BuildPipeline.Built;
import dev.frontier.worker.build.BuildProgress;
import dev.frontier.worker.build.Recovery;
import dev.frontier.worker.compile.Artifact;
import dev.frontier.worker.compile.Plan;
import dev.frontier.worker.compile.nativ.NativeBundle;
import dev.frontier.worker.contract.BuildMetrics;
import dev.frontier.worker.contract.BuildTimings;
import dev.frontier.worker.contract.CompressionConfig;
import dev.frontier.worker.compress.InvalidConfigException;
import dev.frontier.worker.data.DataSplits;
import dev.frontier.worker.data.Dataset;
import dev.frontier.worker.measure.Accuracy;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.ModelFile;

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
        Built b = build(model, data, lease.config(), lease.fidelity(), lease.taskId(), config.trainLimit(), lease.recovery(),
                inheritedStart(lease), lease.inherit() == null ? 0 : lease.inherit().fidelity(), config.evalLimit(), progress);
        BuildTimings timings = b.timings();

        // the search selects on validation; test is evaluated for reporting only (never read by the search)
        progress.report(0.8, "evaluating the compiled artifact (validation and test splits)");
        long t = System.nanoTime();
        Plan loaded = Artifact.fromBytes(b.artifact());
        int threads = Runtime.getRuntime().availableProcessors();
        Accuracy.Result val = Accuracy.evaluate(loaded, data.validation(), config.evalLimit(), threads);
        Accuracy.Result acc = Accuracy.evaluate(loaded, data.test(), config.evalLimit(), threads);
        timings.setEvaluate((double) ms(t));

        progress.report(0.95, "uploading artifact");
        t = System.nanoTime();
        String sha = upload(b.artifact());
        String onnxSha = uploadOnnx(b.graph());
        String nativeSha = uploadNativeBundle(loaded);
        // the fine-tuned graph itself (masks, quantization state): a promoted or polished trial continues from it
        String checkpointSha = upload(ModelFile.toBytes(b.graph()));
        timings.setUpload((double) ms(t));

        Graph tuned = b.graph();
        // what each runtime times: the coordinator queues one MEASURE per (device, runtime) with one of these
        Map<String, String> variants = new LinkedHashMap<>();
        variants.put("frontier-jvm", sha);
        if (nativeSha != null) {
            variants.put("frontier-native", nativeSha);
        }
        if (onnxSha != null) {
            variants.put("onnxruntime", onnxSha);
        }
        BuildMetrics r = new BuildMetrics()
                .accuracy(acc.accuracy()).evaluatedImages(acc.total()).evaluatedSplit("test")
                .validationAccuracy(val.accuracy()).validationImages(val.total())
                .accuracyBeforeFineTune(b.accuracyBeforeFineTune())
                .sizeBytes((long) b.artifact().length)
                .params(tuned.keptParamCount()).denseParams(tuned.paramCount())
                .macs(tuned.totalKeptMacs()).denseMacs(tuned.totalMacs())
                .sparsity(1.0 - (double) tuned.keptParamCount() / Math.max(1, model.paramCount()))
                .fineTuneEpochs(lease.fidelity())
                .calibrationImages(b.calibrationImages()).activationCalibration(b.calibration())
                .recovery(b.recovery()).timings(timings).compression(b.compressed().report().toContract())
                .artifactSha256(sha).checkpointSha256(checkpointSha).onnxSha256(onnxSha)
                .runtimeArtifacts(variants);
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
     * The lease's build through the one pipeline ({@link BuildPipeline}): its configuration (checked here:
     * a bad one fails the task for good), its fidelity and recovery, continuing from the inherited parent
     * when there is one; the validation split (bounded by {@code evalLimit}) is evaluated before
     * fine-tuning when there is fine-tuning to do.
     */
    public static Built build(Graph model, DataSplits data, CompressionConfig config, double fidelity, long seed, int trainLimit,
                              Recovery recovery, Graph inheritedStart, double inheritedFidelity, int evalLimit,
                              Progress progress) throws TaskFailure {
        dev.frontier.worker.compress.CompressionConfig cfg;
        try {
            cfg = dev.frontier.worker.compress.CompressionConfig.from(config);
        } catch (InvalidConfigException e) {
            throw new TaskFailure("INVALID_CONFIG", e.getMessage(), false);
        }
        boolean fineTunes = fidelity - (inheritedStart == null ? 0 : inheritedFidelity) > 0;
        Dataset before = !cfg.isIdentity() && fineTunes && data.validation().size() > 0
                ? (evalLimit > 0 ? data.validation().subset(evalLimit) : data.validation()) : null;
        BuildPipeline.Request req = new BuildPipeline.Request(cfg, fidelity, seed, trainLimit, recovery, inheritedStart,
                inheritedFidelity, before, BuildPipeline.Options.DEFAULTS);
        try {
            return BuildPipeline.run(model, data, req, new BuildProgress() {
                @Override
                public void report(double fraction, String message) {
                    progress.report(fraction, message);
                }

                @Override
                public boolean stopRequested() {
                    return progress.lost();
                }
            });
        } catch (BuildFailure e) {
            throw e.kind().equals("STOPPED") ? new TaskFailure("LEASE_LOST", "the lease was lost during fine-tuning", true)
                    : new TaskFailure(e.kind(), e.getMessage(), e.retryable());
        }
    }

    /** A plain build (no recovery, no parent, no evaluation before fine-tuning), for tests. */
    static Built build(Graph model, DataSplits data, CompressionConfig config, double fidelity, long seed, int trainLimit,
                       Progress progress) throws TaskFailure {
        return build(model, data, config, fidelity, seed, trainLimit, Recovery.NONE, null, 0, 0, progress);
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

    static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
