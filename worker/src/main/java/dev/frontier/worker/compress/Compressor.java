package dev.frontier.worker.compress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Node;
import dev.frontier.worker.model.QuantizedTensor;

/**
 * Applies a whole compression configuration to a graph. Order: filter pruning first (it changes
 * shapes, and the layers after it lose inputs before they are pruned themselves), then the mask
 * schemes (pattern libraries chosen across the model first), then weight quantization. The input
 * graph is never modified.
 *
 * <p>What was done is recorded in the graph metadata so it survives a file round trip and
 * fine-tuning: {@code compress.prune.<layer>} (the spec), {@code compress.quant.<layer>}
 * ({@code bits:scheme}, read by {@link #requantize}), {@code pattern.library.<layer>} and
 * {@code filter.kept.<layer>}.
 */
public final class Compressor {
    public static final String PRUNE_KEY = "compress.prune.";
    public static final String QUANT_KEY = "compress.quant.";

    private Compressor() {
    }

    public record Result(Graph graph, CompressionReport report) {
    }

    public static Result compress(Graph g, String json) {
        return compress(g, CompressionConfig.parse(json));
    }

    public static Result compress(Graph g, CompressionConfig cfg) {
        Map<String, String> notes = new LinkedHashMap<>();
        Map<String, LayerSpec> plan = plan(g, cfg, notes);
        Graph out = g;

        Map<String, String> prunedWith = new LinkedHashMap<>();
        for (Map.Entry<String, LayerSpec> e : plan.entrySet()) {
            if (e.getValue().prune() instanceof PruneSpec.Filter f) {
                String name = e.getKey();
                if (prunedWith.containsKey(name)) {
                    notes.put(name, "filter-pruned with " + prunedWith.get(name)
                            + " (their channels meet at a residual add), at " + prunedWith.get(name) + "'s rate");
                    continue;
                }
                List<String> group = FilterPruning.group(out, out.node(name));
                out = new FilterPruning().apply(out, out.node(name), f);
                for (String other : group) {
                    if (!other.equals(name)) {
                        prunedWith.put(other, name);
                        if (!plan.get(other).prune().equals(f)) {
                            notes.put(other, "filter-pruned with " + name
                                    + " (their channels meet at a residual add), at " + name + "'s rate");
                        }
                    }
                }
            }
        }

        PatternLibrary modelLibrary = modelLibrary(out, plan);
        for (Map.Entry<String, LayerSpec> e : plan.entrySet()) {
            PruneSpec spec = e.getValue().prune();
            Node n = out.node(e.getKey());
            if (spec instanceof PruneSpec.Pattern p) {
                PatternLibrary lib = p.library() == PruneSpec.LibraryScope.MODEL ? modelLibrary : null;
                out = new PatternPruning(lib).apply(out, n, p);
            } else if (!(spec instanceof PruneSpec.Filter) && !(spec instanceof PruneSpec.None)) {
                out = PruningScheme.forSpec(spec).apply(out, n, spec);
            }
        }

        Graph.Builder meta = out.toBuilder();
        for (Map.Entry<String, LayerSpec> e : plan.entrySet()) {
            if (!(e.getValue().prune() instanceof PruneSpec.None)) {
                meta.metadata(PRUNE_KEY + e.getKey(), e.getValue().prune().describe());
            } else if (prunedWith.containsKey(e.getKey())) {
                meta.metadata(PRUNE_KEY + e.getKey(), "filter(with " + prunedWith.get(e.getKey()) + ")");
            }
            if (e.getValue().quantize() != null) {
                meta.metadata(QUANT_KEY + e.getKey(), e.getValue().quantize().toMetadata());
            }
        }
        out = meta.build();
        for (Map.Entry<String, LayerSpec> e : plan.entrySet()) {
            QuantSpec q = e.getValue().quantize();
            if (q != null) {
                out = Quantizer.quantize(out, out.node(e.getKey()), q);
            }
        }
        return new Result(out, CompressionReport.of(g, out, notes));
    }

    /**
     * Checks the configuration against the graph and decides each conv/linear layer's spec. Listed
     * layers that cannot take their scheme are errors, except filter pruning blocked by the graph's
     * structure (residual adds, the output), which is skipped with a note. The default only touches
     * layers it fits.
     */
    static Map<String, LayerSpec> plan(Graph g, CompressionConfig cfg, Map<String, String> notes) {
        List<String> valid = g.weightedNodes().stream().map(Node::name).toList();
        List<String> errors = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String name : cfg.layers().keySet()) {
            if (!valid.contains(name)) {
                unknown.add(g.hasNode(name) ? name + " (a " + g.node(name).layer().op() + " layer, no weights)" : name);
            }
        }
        if (!unknown.isEmpty()) {
            errors.add("unknown layer" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + "; layers that can be compressed: " + valid);
        }
        Map<String, LayerSpec> plan = new LinkedHashMap<>();
        for (Node n : g.weightedNodes()) {
            LayerSpec listed = cfg.layers().get(n.name());
            LayerSpec spec = listed != null ? listed : cfg.defaults();
            PruneSpec prune = spec.prune();
            if (!(prune instanceof PruneSpec.None)) {
                String reason = PruningScheme.forSpec(prune).unfitReason(g, n);
                if (reason != null) {
                    if (listed == null) {
                        prune = new PruneSpec.None(); // the default only applies where it fits
                    } else if (prune instanceof PruneSpec.Filter) {
                        notes.put(n.name(), "filter pruning skipped: " + reason);
                        prune = new PruneSpec.None();
                    } else {
                        errors.add("layers." + n.name() + ": " + reason);
                    }
                }
            }
            plan.put(n.name(), new LayerSpec(prune, spec.quantize()));
        }
        if (!errors.isEmpty()) {
            throw new InvalidConfigException("compression config does not fit the model: " + String.join("; ", errors));
        }
        return plan;
    }

    /** One ranking of shapes over every model-scope pattern layer; each layer takes its first k. */
    private static PatternLibrary modelLibrary(Graph g, Map<String, LayerSpec> plan) {
        List<float[]> weights = new ArrayList<>();
        for (Map.Entry<String, LayerSpec> e : plan.entrySet()) {
            if (e.getValue().prune() instanceof PruneSpec.Pattern p && p.library() == PruneSpec.LibraryScope.MODEL) {
                weights.add(g.param(g.node(e.getKey()).weightName()).data());
            }
        }
        return weights.isEmpty() ? null : PatternLibrary.select(weights, PatternLibrary.CANDIDATES.size());
    }

    /**
     * Re-quantizes every layer that was quantized, with the bits and scheme it had, from the current
     * float weights (e.g. after fine-tuning moved them). Masks are respected.
     */
    public static Graph requantize(Graph g) {
        Graph out = g;
        for (Node n : g.weightedNodes()) {
            String recorded = g.metadata().get(QUANT_KEY + n.name());
            QuantSpec spec = null;
            if (recorded != null) {
                spec = QuantSpec.parseMetadata(recorded);
            } else {
                QuantizedTensor q = g.quantized(n.weightName());
                if (q != null) {
                    spec = new QuantSpec(q.bits(), q.scheme());
                }
            }
            if (spec != null) {
                out = Quantizer.quantize(out, out.node(n.name()), spec);
            }
        }
        return out;
    }
}
