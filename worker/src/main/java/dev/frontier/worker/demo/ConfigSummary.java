package dev.frontier.worker.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/** One-line human summary of a compression configuration, layers with equal settings grouped. */
public final class ConfigSummary {
    private ConfigSummary() {
    }

    public static String of(JsonNode config) {
        if (config == null || config.isMissingNode() || config.isNull() || config.isEmpty()) {
            return "dense baseline";
        }
        Map<String, List<String>> bySetting = new LinkedHashMap<>();
        JsonNode def = config.path("default");
        if (!def.isMissingNode() && !def.isEmpty()) {
            bySetting.computeIfAbsent(setting(def), k -> new ArrayList<>()).add("*");
        }
        for (var e : config.path("layers").properties()) {
            String s = setting(e.getValue());
            if (!s.isEmpty()) {
                bySetting.computeIfAbsent(s, k -> new ArrayList<>()).add(e.getKey());
            }
        }
        List<String> parts = new ArrayList<>();
        bySetting.forEach((s, layers) -> parts.add(String.join(",", layers) + ": " + s));
        return parts.isEmpty() ? "dense baseline" : String.join("; ", parts);
    }

    static String setting(JsonNode layer) {
        List<String> out = new ArrayList<>();
        JsonNode p = layer.path("prune");
        String scheme = p.path("scheme").asString("none");
        switch (scheme) {
            case "none" -> { }
            case "pattern" -> {
                String s = "pattern k" + p.path("patterns").asInt(8);
                double c = p.path("connectivity").asDouble(0);
                out.add(c > 0 ? s + " conn" + fmt(c) : s);
            }
            case "block" -> out.add("block " + fmt(p.path("rate").asDouble()) + " " + p.path("block").toString());
            default -> out.add(scheme + " " + fmt(p.path("rate").asDouble()));
        }
        JsonNode q = layer.path("quantize");
        if (!q.isMissingNode() && !q.isNull()) {
            String scheme2 = q.path("scheme").asString("symmetric");
            out.add("int" + q.path("bits").asInt(8) + (scheme2.equals("symmetric") ? "" : " " + scheme2));
        }
        return String.join(" ", out);
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.2f", v);
    }
}
