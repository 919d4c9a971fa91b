package dev.frontier.worker.measure;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Latency metrics as in docs/contracts.md: median and spread of {@code repeat} samples, each the mean
 * of {@code number} runs; per-layer medians; {@code estimated} is always false for a measurement.
 */
public record LatencyResult(double medianMs, double p10Ms, double p90Ms, double stdevMs, int repeat, int number,
                            int threads, Map<String, Double> perLayerMs, boolean estimated) {

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("medianMs", round(medianMs));
        m.put("p10Ms", round(p10Ms));
        m.put("p90Ms", round(p90Ms));
        m.put("stdevMs", round(stdevMs));
        m.put("repeat", repeat);
        m.put("number", number);
        m.put("threads", threads);
        Map<String, Double> pl = new LinkedHashMap<>();
        perLayerMs.forEach((k, v) -> pl.put(k, round(v)));
        m.put("perLayerMs", pl);
        m.put("estimated", estimated);
        return m;
    }

    static double round(double v) {
        return Math.round(v * 1e5) / 1e5;
    }
}
