package dev.frontier.worker.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.frontier.worker.agent.BuildTask;
import dev.frontier.worker.agent.Progress;
import dev.frontier.worker.agent.TaskFailure;
import dev.frontier.worker.bench.Bench;
import dev.frontier.worker.build.BuildPipeline;
import dev.frontier.worker.build.Recovery;
import dev.frontier.worker.compile.Artifact;
import dev.frontier.worker.data.DataSplits;
import dev.frontier.worker.data.Datasets;
import dev.frontier.worker.measure.Accuracy;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.ModelFile;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code recovery}: how much each accuracy-recovery step of a build is worth. For each config and
 * fidelity it runs the real BUILD pipeline (compress, recover, fine-tune, compile) with: nothing, BN
 * recalibration, distillation, weight inheritance (fidelity f continues from the same variant's
 * previous fidelity), and all of them; the figure is the compiled artifact's validation accuracy, the
 * number the search selects by. Prints a Markdown table (worker/COMPRESSION.md).
 */
public final class RecoveryCommand implements Command {
    static final Map<String, String> CONFIGS = new LinkedHashMap<>();

    static {
        CONFIGS.put("pattern+conn 8x", "{\"default\":{\"prune\":{\"scheme\":\"pattern\",\"patterns\":8,\"connectivity\":0.71875}}}");
        CONFIGS.put("pattern+conn 4x", "{\"default\":{\"prune\":{\"scheme\":\"pattern\",\"patterns\":8,\"connectivity\":0.4375}}}");
        CONFIGS.put("filter 0.5 + int8", "{\"default\":{\"prune\":{\"scheme\":\"filter\",\"rate\":0.5},"
                + "\"quantize\":{\"bits\":8,\"scheme\":\"symmetric\"}}}");
        CONFIGS.put("unstructured 0.9", "{\"default\":{\"prune\":{\"scheme\":\"unstructured\",\"rate\":0.9}}}");
    }

    private record Variant(String name, boolean bn, boolean distill, boolean inherit) {
    }

    private static final List<Variant> VARIANTS = List.of(new Variant("none", false, false, false),
            new Variant("BN recal", true, false, false), new Variant("distill", false, true, false),
            new Variant("inherit", false, false, true), new Variant("all", true, true, true));

    @Override
    public String help() {
        return """
                usage: frontier-worker recovery [--model FILE] [--dataset fashion-mnist] [--fidelities 0.1,0.5,1]
                                                [--configs 1,2,3,4] [--eval-limit 0] [--seed 1]

                Measures the accuracy-recovery steps of a BUILD (BN recalibration, distillation, weight
                inheritance, all) on the shipped demo model (or --model) at each fidelity (epochs of masked
                fine-tuning), for four representative configs; prints validation accuracy of the compiled
                artifact as a Markdown table. Inheritance at fidelity f continues from its own result at the
                previous fidelity (at the first one it equals "none").
                """;
    }

    @Override
    public int run(Args args) {
        Graph model = args.has("model") ? read(args.existingFile("model")) : Bench.demoModel(System.err);
        DataSplits data = Datasets.resolve(args.string("dataset", Datasets.FASHION_MNIST));
        double[] fidelities = java.util.Arrays.stream(args.string("fidelities", "0.1,0.5,1").split(","))
                .mapToDouble(Double::parseDouble).toArray();
        List<Integer> which = args.integers("configs", List.of(1, 2, 3, 4));
        int evalLimit = args.integer("eval-limit", 0);
        long seed = args.integer("seed", 1);
        args.rejectUnknown();
        ObjectMapper json = new ObjectMapper();
        List<String> names = new ArrayList<>(CONFIGS.keySet());
        StringBuilder table = new StringBuilder("| config | variant |");
        for (double f : fidelities) table.append(String.format(Locale.ROOT, " %.2g ep |", f));
        table.append(" before FT (first fidelity) |\n|---|---|").append("---|".repeat(fidelities.length + 1)).append('\n');
        long start = System.nanoTime();
        for (int c : which) {
            String name = names.get(c - 1);
            dev.frontier.worker.contract.CompressionConfig config = json.readValue(CONFIGS.get(name),
                    dev.frontier.worker.contract.CompressionConfig.class);
            for (Variant v : VARIANTS) {
                table.append("| ").append(name).append(" | ").append(v.name()).append(" |");
                Graph parent = null;
                double parentFidelity = 0;
                String before = "-";
                for (double f : fidelities) {
                    Recovery rec = new Recovery(v.bn(), v.distill());
                    long t0 = System.nanoTime();
                    BuildPipeline.Built b;
                    try {
                        b = BuildTask.build(model, data, config, f, seed, 0, rec, v.inherit() ? parent : null, parentFidelity,
                                evalLimit, Progress.NONE);
                    } catch (TaskFailure e) {
                        throw new UsageException("build failed: " + e.getMessage());
                    }
                    double acc = Accuracy.evaluate(Artifact.fromBytes(b.artifact()), data.validation(), evalLimit, 2).accuracy();
                    if (before.equals("-") && b.accuracyBeforeFineTune() != null) {
                        before = String.format(Locale.ROOT, "%.2f", b.accuracyBeforeFineTune());
                    }
                    table.append(String.format(Locale.ROOT, " %.2f |", acc));
                    System.err.printf(Locale.ROOT, "[%5.0fs] %s / %s / %.2g epochs: validation %.2f %% (%.0f s)%n",
                            (System.nanoTime() - start) / 1e9, name, v.name(), f, acc, (System.nanoTime() - t0) / 1e9);
                    parent = b.graph();
                    parentFidelity = f;
                }
                table.append(' ').append(before).append(" |\n");
            }
        }
        System.out.println(table);
        return 0;
    }

    private static Graph read(java.nio.file.Path p) {
        try {
            return ModelFile.fromBytes(Files.readAllBytes(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
