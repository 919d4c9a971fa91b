package dev.frontier.worker.compile;

import dev.frontier.worker.compile.op.Op;
import dev.frontier.worker.compile.pass.FoldBatchNorm;
import dev.frontier.worker.compile.pass.FuseActivations;
import dev.frontier.worker.compile.pass.Lowering;
import dev.frontier.worker.compile.pass.PlanBuffers;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.ModelFile;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compiler pipeline: fold batch norm (IR -> IR), lower with per-layer formats chosen from the
 * masks (pattern/connectivity packing, block-sparse packing, int8), fuse activations, plan buffers,
 * and optionally auto-tune kernel variants on this device.
 */
public final class FrontierCompiler {
    private FrontierCompiler() {
    }

    /** {@code tune}: time kernel variants here (cached per device); {@code threads}: the count tuned for. */
    public record Options(boolean tune, int threads, Tuner.Cache cache) {
        public static Options defaults() {
            return new Options(true, 1, Tuner.Cache.fromEnvironment());
        }

        public static Options untuned() {
            return new Options(false, 1, null);
        }
    }

    public static Plan compile(Graph g) {
        return compile(g, Options.defaults());
    }

    public static Plan compile(Graph g, Options options) {
        long t0 = System.nanoTime();
        Graph folded = FoldBatchNorm.apply(g);
        List<Op> ops = FuseActivations.apply(Lowering.lower(folded));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("sourceSha256", Artifact.sha256(ModelFile.toBytes(g)));
        g.metadata().forEach((k, v) -> meta.put("model." + k, v));
        meta.put("compiledAt", Instant.now().toString());
        meta.put("denseMacs", Long.toString(g.totalMacs()));
        meta.put("keptMacs", Long.toString(ops.stream().mapToLong(Op::macs).sum()));
        meta.put("params", Long.toString(g.paramCount()));
        meta.put("keptParams", Long.toString(g.keptParamCount()));
        meta.put("compression", summary(ops));
        Plan plan = PlanBuffers.plan(ops, folded.input().name(), folded.inputShape(), meta);
        if (options.tune()) {
            Tuner.tune(plan, options.threads(), options.cache());
        }
        plan.metadata().put("compileMs", Long.toString((System.nanoTime() - t0) / 1_000_000));
        return plan;
    }

    /** e.g. "conv1=dense,conv2=pattern(kept 11%),fc1=block(kept 25%)". */
    static String summary(List<Op> ops) {
        StringBuilder sb = new StringBuilder();
        for (Op op : ops) {
            if (op.macs() == 0) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(op.name()).append('=').append(op.format());
        }
        return sb.toString();
    }
}
