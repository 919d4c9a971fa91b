package dev.frontier.worker.demo;

import java.io.PrintStream;
import java.util.Locale;

import tools.jackson.databind.JsonNode;

/**
 * Prints a job's frontier (GET /jobs/{id}/frontier) as a table: validation accuracy (what the search
 * selected by) beside test accuracy (what is reported), the recommended point marked {@code *},
 * polished points {@code P}, collapsed points (below the usefulness floor, never recommended) {@code x}.
 * One table per (device, runtime); speedups are over the dense baseline on the same device and runtime.
 */
public final class FrontierTable {
    private FrontierTable() {
    }

    public static void print(JsonNode frontier, double fallbackBaselineMs, java.util.Map<String, String> deviceNames,
                             PrintStream out) {
        double target = frontier.path("latencyTargetMs").asDouble();
        double baseAcc = frontier.path("baselineAccuracy").asDouble(Double.NaN);
        double baseVal = frontier.path("baselineValidationAccuracy").asDouble(Double.NaN);
        out.printf(Locale.ROOT, "latency target %s   baseline accuracy %.2f %% test, %.2f %% validation%n",
                Numbers.ms(target), baseAcc, baseVal);
        out.printf(Locale.ROOT, "accuracy floor %.2f %% validation   usefulness floor %.2f %% validation%n",
                frontier.path("accuracyFloor").asDouble(Double.NaN), frontier.path("usefulnessFloor").asDouble(Double.NaN));
        for (JsonNode dev : frontier.path("devices")) {
            // speedups are against the dense model on the same device and runtime
            double baselineLatencyMs = dev.path("baselineLatencyMs").asDouble(fallbackBaselineMs);
            String runtime = dev.path("runtime").asString("");
            out.printf(Locale.ROOT, "%ndevice %s%s: %d trials measured, %d on the frontier, hypervolume %.3f (of 1), dense baseline %s%n",
                    deviceNames.getOrDefault(dev.path("deviceId").asString(), dev.path("deviceId").asString()),
                    runtime.isEmpty() ? "" : " with " + runtime + (dev.path("steering").asBoolean() ? " (steered the search)" : ""),
                    dev.path("measured").asInt(), dev.path("points").size(), dev.path("hypervolume").asDouble(),
                    Numbers.ms(baselineLatencyMs));
            String recommended = dev.path("recommended").path("trialId").asString("");
            out.printf("%-3s %5s %7s %7s %11s %8s %9s  %s%n", "", "trial", "val %", "test %", "latency", "speedup",
                    "size KiB", "configuration");
            for (JsonNode p : dev.path("points")) {
                double lat = p.path("latencyMs").asDouble();
                String mark = (p.path("trialId").asString().equals(recommended) ? "*" : "")
                        + ("POLISH".equals(p.path("stage").asString()) ? "P" : "")
                        + (p.path("useful").asBoolean(true) ? "" : "x");
                out.printf(Locale.ROOT, "%-3s %5d %7s %7.2f %11s %7.2fx %9.1f  %s%n", mark, p.path("seq").asInt(),
                        p.path("validationAccuracy").isNumber()
                                ? String.format(Locale.ROOT, "%.2f", p.path("validationAccuracy").asDouble()) : "-",
                        p.path("accuracy").asDouble(), Numbers.ms(lat),
                        baselineLatencyMs > 0 ? baselineLatencyMs / lat : Double.NaN,
                        p.path("sizeBytes").asLong() / 1024.0, ConfigSummary.of(p.path("config")));
            }
            JsonNode rec = dev.path("recommended");
            if (!recommended.isEmpty()) {
                out.println(dev.path("bestEffort").asBoolean()
                        ? "* best effort: no trial met both the latency target and the accuracy floor"
                        : "* recommended: best validation accuracy within the latency target and accuracy floor");
                out.printf(Locale.ROOT, "  trial %d: %.2fx faster than the dense baseline, %+.2f pp test accuracy (%+.2f pp validation)%n",
                        rec.path("seq").asInt(), baselineLatencyMs / rec.path("latencyMs").asDouble(),
                        rec.path("accuracy").asDouble() - baseAcc, rec.path("validationAccuracy").asDouble(Double.NaN) - baseVal);
            } else if (dev.path("noUsefulTrial").asBoolean()) {
                out.println("no useful trial yet: every measured configuration is below the usefulness floor; nothing is recommended");
            }
            out.println("P polished (fine-tuned to fidelity.final after the search); x collapsed (below the usefulness floor)");
        }
    }
}
