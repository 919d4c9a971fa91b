package dev.frontier.worker.cli;

import dev.frontier.worker.compile.Artifact;
import dev.frontier.worker.compile.Plan;
import dev.frontier.worker.data.DataSplits;
import dev.frontier.worker.data.Dataset;
import dev.frontier.worker.data.Datasets;
import dev.frontier.worker.measure.Accuracy;
import dev.frontier.worker.model.InvalidModelException;

import java.nio.file.Path;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/** {@code eval --artifact FILE --dataset NAME [--split test] [--limit N] [--threads N] [--json]} */
public final class EvalCommand implements Command {
    public String help() {
        return """
                usage: frontier-worker eval --artifact FILE.fart --dataset fashion-mnist [--split test] [--limit N]
                                            [--threads N] [--json]
                  Top-1 accuracy of a compiled artifact, run by the compiled executor itself (the same bytes that
                  are timed).""";
    }

    public int run(Args a) {
        Path file = a.existingFile("artifact");
        String dataset = a.string("dataset");
        String split = a.string("split", "test");
        int limit = a.integer("limit", 0);
        int threads = a.integer("threads", 1);
        boolean json = a.flag("json");
        a.rejectUnknown();
        Plan plan;
        try {
            plan = Artifact.read(file);
        } catch (InvalidModelException e) {
            throw new UsageException(e.getMessage(), e);
        }
        DataSplits splits = Datasets.resolve(dataset, plan.inputLayout().shape());
        Dataset d = splits.split(split);
        Accuracy.Result r = Accuracy.evaluate(plan, d, limit, threads);
        if (json) {
            Map<String, Object> m = new java.util.LinkedHashMap<>(r.toMap());
            m.put("dataset", dataset);
            m.put("split", split);
            m.put("artifactSha256", Artifact.sha256(readAll(file)));
            System.out.println(JsonMapper.builder().build().writeValueAsString(m));
        } else {
            System.out.printf("accuracy %.2f%% (%d/%d) on %s/%s in %.0f ms%n", r.accuracy(), r.correct(), r.total(),
                    dataset, split, r.millis());
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
