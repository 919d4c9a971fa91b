package dev.frontier.worker.profile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

import dev.frontier.worker.compress.CompressionConfig;
import dev.frontier.worker.compress.Compressor;
import dev.frontier.worker.compress.Schemes;
import dev.frontier.worker.data.DataSplits;
import dev.frontier.worker.data.Dataset;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Layer;
import dev.frontier.worker.model.Node;
import dev.frontier.worker.train.BatchNormRecalibration;
import dev.frontier.worker.train.Evaluator;

/**
 * Per-layer sensitivity: the validation accuracy of the model with one layer pruned alone, at a few
 * rates per scheme, batch norm recalibrated, no fine-tuning. It tells the search which choices are
 * obviously destructive (filter 0.9 on a sensitive conv) before a single trial is spent on them;
 * the coordinator caps each layer's rates from it (openapi: the model profile's {@code sensitivity}).
 *
 * <p>Probes: {@link #RATES} for rate schemes; pattern pruning at connectivity 0, 0.5 and 0.75 (so
 * 2.25x, 4.5x and 9x on the layer). The validation split is the dataset's own (no job exists yet);
 * {@code images} of it are evaluated and {@code images} training images recalibrate BN.
 */
public final class Sensitivity {
    public static final List<Double> RATES = List.of(0.5, 0.75, 0.9);
    public static final List<Double> PATTERN_CONNECTIVITY = List.of(0.0, 0.5, 0.75);
    public static final int DEFAULT_IMAGES = 1000;
    /**
     * Schemes probed: the structured ones the compiler accelerates (block on linear layers only).
     * Unstructured pruning is not probed: it buys no latency here, so the search seldom leans on it.
     */
    static final java.util.Set<String> PROBED = java.util.Set.of("pattern", "connectivity", "filter", "block");

    /** The dense model's accuracy on the same images, and per layer -> scheme -> rate -> accuracy. */
    public record Result(double baselineAccuracy, int images, Map<String, Map<String, Map<String, Double>>> layers) {
    }

    private Sensitivity() {
    }

    /**
     * Probes every prunable layer of {@code g}; {@code images} bounds the validation images evaluated
     * (and the recalibration images). {@code progress} gets (done fraction, what).
     */
    public static Result profile(Graph g, DataSplits data, int images, long seed, BiConsumer<Double, String> progress) {
        Dataset val = data.validation().subset(Math.max(1, images));
        double base = Evaluator.accuracy(g, val);
        List<Probe> probes = probes(g);
        Map<String, Map<String, Map<String, Double>>> out = new LinkedHashMap<>();
        for (int i = 0; i < probes.size(); i++) {
            Probe p = probes.get(i);
            progress.accept((double) i / probes.size(), "sensitivity of " + p.layer + ": " + p.scheme + " " + p.rate);
            Graph pruned;
            try {
                pruned = Compressor.compress(g, p.config()).graph();
            } catch (IllegalArgumentException e) {
                continue; // a probe the layer cannot take (e.g. too few channels): nothing to learn
            }
            pruned = BatchNormRecalibration.recalibrate(pruned, data.train(), Math.min(images, BatchNormRecalibration.DEFAULT_IMAGES),
                    seed);
            double acc = Evaluator.accuracy(pruned, val);
            out.computeIfAbsent(p.layer, k -> new LinkedHashMap<>()).computeIfAbsent(p.scheme, k -> new LinkedHashMap<>())
                    .put(rateKey(p.rate), Math.round(acc * 100) / 100.0);
        }
        return new Result(base, val.size(), out);
    }

    static String rateKey(double r) {
        return String.format(Locale.ROOT, "%.2f", r);
    }

    private record Probe(String layer, String scheme, double rate) {
        /** The registry's configuration at this strength (the search uses the same ones). */
        CompressionConfig config() {
            return CompressionConfig.pruning(layer, Schemes.byName(scheme).orElseThrow().atStrength().apply(rate));
        }
    }

    private static List<Probe> probes(Graph g) {
        List<Probe> out = new ArrayList<>();
        List<Node> weighted = g.weightedNodes();
        for (Node n : weighted) {
            for (String scheme : Schemes.fitting(g, n)) {
                if (!PROBED.contains(scheme) || (scheme.equals("block") && !(n.layer() instanceof Layer.Linear))) {
                    continue;
                }
                List<Double> rates = scheme.equals("pattern") ? PATTERN_CONNECTIVITY : RATES;
                for (double r : rates) {
                    out.add(new Probe(n.name(), scheme, r));
                }
            }
        }
        return out;
    }
}
