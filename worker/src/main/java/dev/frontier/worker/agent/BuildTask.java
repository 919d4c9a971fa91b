package dev.frontier.worker.agent;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.frontier.worker.compile.Artifact;
import dev.frontier.worker.compile.FrontierCompiler;
import dev.frontier.worker.compile.Plan;
import dev.frontier.worker.compress.Compressor;
import dev.frontier.worker.compress.InvalidConfigException;
import dev.frontier.worker.data.DataSplits;
import dev.frontier.worker.data.Dataset;
import dev.frontier.worker.data.DatasetException;
import dev.frontier.worker.data.Datasets;
import dev.frontier.worker.measure.Accuracy;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.train.TrainConfig;
import dev.frontier.worker.train.Trainer;
import dev.frontier.worker.train.TrainingListener;
import tools.jackson.databind.node.ObjectNode;

/**
 * BUILD: compress by the trial's configuration, fine-tune with the masks held for the trial's
 * fidelity, compile, evaluate the compiled artifact, upload it. The accuracy reported is that of the
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
        Map<String, Object> timings = new LinkedHashMap<>();
        progress.report(0.02, "loading model and dataset");
        Graph model = models.load(lease);
        DataSplits data = dataset(lease);

        long t = System.nanoTime();
        Compressor.Result compressed;
        try {
            compressed = Compressor.compress(model, lease.config() == null || lease.config().isMissingNode()
                    ? "{}" : lease.config().toString());
        } catch (InvalidConfigException e) {
            throw new TaskFailure("INVALID_CONFIG", e.getMessage(), false);
        }
        timings.put("compress", ms(t));

        t = System.nanoTime();
        Graph tuned = compressed.graph();
        if (lease.fidelity() > 0) {
            Dataset train = config.trainLimit() > 0 ? data.train().subset(config.trainLimit()) : data.train();
            // Adam 1e-3 recovered 3-4 pp more than 2e-4 after one epoch on the demo model (worker/COMPRESSION.md)
            tuned = Trainer.train(tuned, train, TrainConfig.fineTune(lease.fidelity()).withLearningRate(1e-3f)
                            .withSeed(lease.taskId()),
                    listener(progress, lease.fidelity()));
            if (progress.lost()) {
                throw new TaskFailure("LEASE_LOST", "the lease was lost during fine-tuning", true);
            }
            tuned = Compressor.requantize(tuned);
        }
        timings.put("fineTune", ms(t));

        progress.report(0.75, "compiling");
        t = System.nanoTime();
        byte[] artifact = Artifact.toBytes(FrontierCompiler.compile(tuned, FrontierCompiler.Options.untuned()));
        timings.put("compile", ms(t));

        progress.report(0.8, "evaluating the compiled artifact");
        t = System.nanoTime();
        Plan loaded = Artifact.fromBytes(artifact);
        Accuracy.Result acc = Accuracy.evaluate(loaded, data.test(), config.evalLimit(),
                Runtime.getRuntime().availableProcessors());
        timings.put("evaluate", ms(t));

        progress.report(0.95, "uploading artifact");
        t = System.nanoTime();
        String sha = upload(artifact);
        String onnxSha = uploadOnnx(tuned);
        timings.put("upload", ms(t));

        ObjectNode r = CoordinatorClient.object();
        r.put("accuracy", acc.accuracy());
        r.put("evaluatedImages", acc.total());
        r.put("evaluatedSplit", "test");
        r.put("sizeBytes", artifact.length);
        r.put("params", tuned.keptParamCount());
        r.put("denseParams", tuned.paramCount());
        r.put("macs", tuned.totalKeptMacs());
        r.put("denseMacs", tuned.totalMacs());
        r.put("sparsity", 1.0 - (double) tuned.keptParamCount() / Math.max(1, model.paramCount()));
        r.put("fineTuneEpochs", lease.fidelity());
        r.set("timings", CoordinatorClient.JSON.valueToTree(timings));
        r.set("compression", CoordinatorClient.JSON.valueToTree(compressed.report().toMap()));
        r.put("artifactSha256", sha);
        if (onnxSha != null) {
            r.put("onnxSha256", onnxSha);
        }
        progress.report(1, "built");
        return new TaskResult(r, sha);
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
