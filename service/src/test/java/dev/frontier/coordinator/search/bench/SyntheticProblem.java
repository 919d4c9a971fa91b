package dev.frontier.coordinator.search.bench;

import dev.frontier.coordinator.api.model.CompressionConfig;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.frontier.coordinator.search.Encoding;
import dev.frontier.coordinator.search.SearchSpace;
import dev.frontier.coordinator.search.SearchSpaces;

/**
 * SYNTHETIC TEST FIXTURE, not measured data: a made-up monotone model of compression (every
 * layer's latency falls and its accuracy cost rises with its weight reduction; int8 is faster and
 * costs a little accuracy) used to test that strategies behave, never to rank them.
 */
public final class SyntheticProblem implements Oracle {
    public static final dev.frontier.coordinator.api.model.ModelProfile PROFILE = dev.frontier.coordinator.support.TestProfiles.profile(Map.of("layers", List.of(
            Map.of("name", "conv1", "op", "conv2d", "kernel", List.of(3, 3), "params", 1_000, "prunable", List.of("pattern", "connectivity", "filter", "unstructured", "block")),
            Map.of("name", "conv2", "op", "conv2d", "kernel", List.of(3, 3), "params", 20_000, "prunable", List.of("pattern", "connectivity", "filter", "unstructured", "block")),
            Map.of("name", "conv3", "op", "conv2d", "kernel", List.of(3, 3), "params", 40_000, "prunable", List.of("pattern", "connectivity", "filter", "unstructured", "block")),
            Map.of("name", "fc1", "op", "linear", "params", 80_000, "prunable", List.of("block", "filter", "unstructured")),
            Map.of("name", "fc2", "op", "linear", "params", 2_000, "prunable", List.of("block", "filter", "unstructured")))));
    /** ms of each layer when dense, and accuracy points lost per unit of (1 - 1/reduction)^2. */
    private static final Map<String, double[]> LAYERS = Map.of(
            "conv1", new double[] {1.0, 6.0}, "conv2", new double[] {4.0, 3.0}, "conv3", new double[] {5.0, 2.0},
            "fc1", new double[] {3.0, 1.5}, "fc2", new double[] {0.5, 8.0});
    private final Encoding encoding;

    public SyntheticProblem() {
        this.encoding = new Encoding(space());
    }

    public static SearchSpace space() {
        return SearchSpaces.fromProfile(PROFILE, null);
    }

    public double baselineLatency() {
        return LAYERS.values().stream().mapToDouble(l -> l[0]).sum() + 0.5;
    }

    @Override
    public Outcome evaluate(CompressionConfig config, double fidelity) {
        int[] g = encoding.decode(config);
        double accuracy = 90;
        double latency = 0.5;
        double size = 0;
        Map<String, Double> perLayer = new HashMap<>();
        int bits = encoding.bits(g[g.length - 1]);
        double speed = bits == 8 ? 0.6 : bits == 4 ? 0.45 : 1;
        for (int i = 0; i < g.length - 1; i++) {
            String name = encoding.layerName(i);
            Encoding.Option o = encoding.options(i).get(g[i]);
            double[] l = LAYERS.get(name);
            // structured schemes turn reduction into speed; unstructured barely does
            double effective = o.scheme().equals("unstructured") ? 1 + (o.reduction() - 1) * 0.1 : o.reduction();
            double ms = l[0] / effective * speed;
            perLayer.put(name, ms);
            latency += ms;
            double lost = 1 - 1 / o.reduction();
            double penalty = o.scheme().equals("filter") ? 1.5 : o.scheme().equals("pattern") ? 0.7 : 1;
            accuracy -= l[1] * lost * lost * penalty;
            size += paramsOf(name) / o.reduction() * (bits == 0 ? 4 : bits / 8.0);
        }
        if (bits == 8) accuracy -= 0.2;
        if (bits == 4) accuracy -= 1.0;
        // short fine-tunes recover less of the loss
        accuracy -= (90 - accuracy) * Math.max(0, 1 - fidelity) * 0.5;
        return new Outcome(accuracy, latency, Math.round(size), perLayer);
    }

    private static double paramsOf(String layer) {
        for (dev.frontier.coordinator.api.model.ProfileLayer l : PROFILE.getLayers()) {
            if (layer.equals(l.getName())) return l.getParams().doubleValue();
        }
        return 0;
    }

    static Map<String, Object> copy(Map<String, Object> m) {
        return new LinkedHashMap<>(m);
    }
}
