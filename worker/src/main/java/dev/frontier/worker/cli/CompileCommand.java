package dev.frontier.worker.cli;

import dev.frontier.worker.compile.Artifact;
import dev.frontier.worker.compile.FrontierCompiler;
import dev.frontier.worker.compile.Plan;
import dev.frontier.worker.compile.Tuner;
import dev.frontier.worker.compile.nativ.NativeArtifact;
import dev.frontier.worker.compile.op.Op;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.InvalidModelException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/** {@code compile --model FILE --out ARTIFACT [--target jvm|native] [--no-build] [--threads N] [--no-tune] [--json]} */
public final class CompileCommand implements Command {
    public String help() {
        return """
                usage: frontier-worker compile --model FILE.frir --out FILE.fart [--threads N] [--no-tune] [--json]
                       frontier-worker compile --model FILE.frir --target native --out DIR [--no-build] [--json]
                  Compiles a model (dense or compressed) into a deployable Frontier artifact: batch norm folded,
                  activations fused, per-layer kernel formats chosen from the masks (dense, pattern, connectivity,
                  block, int8), kernel variants auto-tuned on this machine for N threads (default 1; cached in
                  ~/.frontier/tuning or -Dfrontier.tuning.dir).
                  --target native: DIR gets model.fart (the JVM artifact), native/ (C source specialised to this
                  model: frontier_model.h/.c, runtime header, harness, Makefile, build.sh) and native-bundle.zip; the
                  bundle is built with the host C compiler ($FRONTIER_CC, $FRONTIER_CFLAGS; default cc -O3
                  -march=native) unless --no-build.""";
    }

    public int run(Args a) {
        Path model = a.existingFile("model");
        Path out = a.path("out");
        int threads = a.integer("threads", 1);
        boolean tune = !a.flag("no-tune");
        boolean json = a.flag("json");
        String target = a.string("target", "jvm");
        boolean build = !a.flag("no-build");
        a.rejectUnknown();
        if (!target.equals("jvm") && !target.equals("native")) {
            throw new UsageException("--target must be jvm or native, got " + target);
        }
        Graph g;
        try {
            g = dev.frontier.worker.onnx.ModelFormats.load(model);
        } catch (InvalidModelException e) {
            throw new UsageException(e.getMessage(), e);
        }
        Plan plan = FrontierCompiler.compile(g, new FrontierCompiler.Options(tune, threads, tune ? Tuner.Cache.fromEnvironment() : null));
        byte[] bytes = Artifact.toBytes(plan);
        Map<String, Object> nativeReport = null;
        if (target.equals("native")) {
            try {
                nativeReport = NativeArtifact.write(plan, out, build, json);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage(), e);
            }
            out = out.resolve(NativeArtifact.JVM_ARTIFACT);
        } else {
            Artifact.write(plan, out);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("artifact", out.toString());
        r.put("sha256", Artifact.sha256(bytes));
        r.put("sizeBytes", bytes.length);
        r.put("sourceSha256", plan.metadata().get("sourceSha256"));
        r.put("denseMacs", Long.parseLong(plan.metadata().get("denseMacs")));
        r.put("keptMacs", plan.macs());
        List<Map<String, Object>> layers = new ArrayList<>();
        for (Op op : plan.ops()) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("name", op.name());
            l.put("format", op.format());
            l.put("macs", op.macs());
            l.put("variant", op.variant());
            layers.add(l);
        }
        r.put("layers", layers);
        if (nativeReport != null) {
            r.put("native", nativeReport);
        }
        if (json) {
            System.out.println(JsonMapper.builder().build().writeValueAsString(r));
        } else {
            System.out.printf("compiled %s -> %s (%d bytes, sha256 %s)%n", model, out, bytes.length, r.get("sha256"));
            for (Op op : plan.ops()) {
                System.out.printf("  %-12s %-13s %12d MACs  variant %d%n", op.name(), op.format(), op.macs(), op.variant());
            }
        }
        return 0;
    }
}
