package dev.frontier.worker.demo;

import java.io.PrintStream;
import java.util.Locale;

import tools.jackson.databind.JsonNode;

/** Prints a job's frontier (GET /jobs/{id}/frontier) as a table, the recommended point marked. */
public final class FrontierTable {
    private FrontierTable() {
    }

    public static void print(JsonNode frontier, double baselineLatencyMs, java.util.Map<String, String> deviceNames,
                             PrintStream out) {
        double target = frontier.path("latencyTargetMs").asDouble();
        double baseAcc = frontier.path("baselineAccuracy").asDouble(Double.NaN);
        double floor = frontier.path("accuracyFloor").asDouble(Double.NaN);
        out.printf(Locale.ROOT, "latency target %.3f ms   baseline accuracy %.2f %%   accuracy floor %.2f %%%n",
                target, baseAcc, floor);
        for (JsonNode dev : frontier.path("devices")) {
            out.printf(Locale.ROOT, "%ndevice %s: %d trials measured, %d on the frontier, hypervolume %.4f%n",
                    deviceNames.getOrDefault(dev.path("deviceId").asString(), dev.path("deviceId").asString()),
                    dev.path("measured").asInt(), dev.path("points").size(),
                    dev.path("hypervolume").asDouble());
            String recommended = dev.path("recommended").path("trialId").asString("");
            out.printf("%-2s %5s %9s %11s %9s %10s  %s%n", "", "trial", "acc %", "latency ms", "speedup",
                    "size KiB", "configuration");
            for (JsonNode p : dev.path("points")) {
                double lat = p.path("latencyMs").asDouble();
                boolean rec = p.path("trialId").asString().equals(recommended);
                out.printf(Locale.ROOT, "%-2s %5d %9.2f %11.3f %8.2fx %10.1f  %s%n", rec ? "*" : "",
                        p.path("seq").asInt(), p.path("accuracy").asDouble(), lat,
                        baselineLatencyMs > 0 ? baselineLatencyMs / lat : Double.NaN,
                        p.path("sizeBytes").asLong() / 1024.0, ConfigSummary.of(p.path("config")));
            }
            if (!recommended.isEmpty()) {
                out.println(dev.path("bestEffort").asBoolean()
                        ? "* best effort: no trial met both the latency target and the accuracy floor"
                        : "* recommended: best accuracy within the latency target and accuracy floor");
            }
        }
    }
}
