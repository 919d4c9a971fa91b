package dev.frontier.worker.cli;

import dev.frontier.worker.compile.Artifact;
import dev.frontier.worker.compile.Plan;
import dev.frontier.worker.compile.nativ.NativeArtifact;
import dev.frontier.worker.data.DataSplits;
import dev.frontier.worker.data.Dataset;
import dev.frontier.worker.data.Datasets;
import dev.frontier.worker.measure.Accuracy;
import dev.frontier.worker.measure.NativeAccuracy;
import dev.frontier.worker.model.InvalidModelException;

import java.nio.file.Path;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/** {@code eval --artifact FILE|DIR --dataset NAME [--runtime jvm|native] [--split test] [--limit N] [--threads N] [--json]} */
public final class EvalCommand implements Command {
    public String help() {
        return """
                usage: frontier-worker eval --artifact FILE.fart --dataset fashion-mnist [--split test] [--limit N]
                                            [--threads N] [--json]
                  Top-1 accuracy of a compiled artifact, run by the compiled executor itself (the same bytes that
                  are timed). A native artifact directory (compile --target native) is evaluated by its generated C
                  code (built here if needed); --runtime jvm evaluates its model.fart with the JVM executor instead.""";
    }

    public int run(Args a) {
        Path file = a.path("artifact");
        if (!NativeArtifact.isNativeArtifact(file)) {
            file = a.existingFile("artifact");
        }
        String dataset = a.string("dataset");
        String split = a.string("split", "test");
        int limit = a.integer("limit", 0);
        int threads = a.integer("threads", 1);
        boolean json = a.flag("json");
        boolean nativeDir = NativeArtifact.isNativeArtifact(file);
        String runtime = a.string("runtime", nativeDir ? "native" : "jvm");
        a.rejectUnknown();
        if (!runtime.equals("jvm") && !(runtime.equals("native") && nativeDir)) {
            throw new UsageException("--runtime must be jvm, or native for a directory written by compile --target native");
        }
        Plan plan;
        try {
            plan = Artifact.read(nativeDir ? file.resolve(NativeArtifact.JVM_ARTIFACT) : file);
        } catch (InvalidModelException e) {
            throw new UsageException(e.getMessage(), e);
        }
        DataSplits splits = Datasets.resolve(dataset, plan.inputLayout().shape());
        Dataset d = splits.split(split);
        Accuracy.Result r = runtime.equals("native")
                ? NativeAccuracy.evaluate(NativeArtifact.built(file), plan.inputLayout().shape(),
                        plan.outputLayout().shape().size(), d, limit)
                : Accuracy.evaluate(plan, d, limit, threads);
        if (json) {
            Map<String, Object> m = new java.util.LinkedHashMap<>(r.toMap());
            m.put("dataset", dataset);
            m.put("split", split);
            m.put("runtime", runtime);
            m.put("artifactSha256", Artifact.sha256(readAll(nativeDir ? file.resolve(NativeArtifact.JVM_ARTIFACT) : file)));
            System.out.println(JsonMapper.builder().build().writeValueAsString(m));
        } else {
            System.out.printf("accuracy %.2f%% (%d/%d) on %s/%s in %.0f ms (%s runtime)%n", r.accuracy(), r.correct(),
                    r.total(), dataset, split, r.millis(), runtime);
        }
        return 0;
    }

    private static byte[] readAll(Path p) {
        try {
            return java.nio.file.Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
