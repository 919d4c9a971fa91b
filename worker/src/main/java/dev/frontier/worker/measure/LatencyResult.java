package dev.frontier.worker.measure;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.frontier.worker.contract.LatencyMetrics;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Latency metrics (the contract's {@code LatencyMetrics}, meaning in docs/contracts.md): median and
 * spread of {@code repeat} samples, each the mean of {@code number} runs; per-layer medians;
 * {@code estimated} is always false for a measurement.
 */
public record LatencyResult(double medianMs, double p10Ms, double p90Ms, double stdevMs, int repeat, int number,
                            int threads, Map<String, Double> perLayerMs, boolean estimated) {
    private static final JsonMapper JSON = JsonMapper.builder()
            .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_NULL)).build();

    /** What a MEASURE reports about the timing itself (the agent adds the runtime and the device). */
    public LatencyMetrics toMetrics() {
        Map<String, Double> pl = new LinkedHashMap<>();
        perLayerMs.forEach((k, v) -> pl.put(k, round(v)));
        return new LatencyMetrics().medianMs(round(medianMs)).p10Ms(round(p10Ms)).p90Ms(round(p90Ms)).stdevMs(round(stdevMs))
                .repeat(repeat).number(number).threads(threads).perLayerMs(pl).estimated(estimated);
    }

    /** {@link #toMetrics()} as a plain map, for the CLI's JSON reports. */
    public Map<String, Object> toMap() {
        return JSON.convertValue(toMetrics(), new TypeReference<LinkedHashMap<String, Object>>() {
        });
    }

    static double round(double v) {
        return Math.round(v * 1e5) / 1e5;
    }
}
