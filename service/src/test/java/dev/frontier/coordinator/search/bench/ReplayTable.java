package dev.frontier.coordinator.search.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.frontier.coordinator.frontier.Pareto;
import dev.frontier.coordinator.search.Encoding;
import dev.frontier.coordinator.search.SearchHistory;
import dev.frontier.coordinator.search.SearchSpace;

/**
 * Recorded trials as an {@link Oracle}. A proposal gets the row with the same config at the
 * nearest recorded fidelity; a config that was never recorded gets its nearest recorded
 * neighbour (fewest differing genes, then closest fidelity). Rows come from JSON Lines
 * ({@code {"config":{..},"fidelity":1,"accuracy":91.2,"latencyMs":3.4,"sizeBytes":123456}}, a
 * {@code "failed":true} row records a build failure) or straight from the API: a
 * {@code GET /api/v1/jobs/{id}/trials?size=500} page, or a JSON array of such pages or trials.
 */
public final class ReplayTable implements Oracle {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public record Row(Map<String, Object> config, double fidelity, boolean failed, double accuracy, double latencyMs, long sizeBytes,
            Map<String, Double> perLayerMs) {
    }

    private final List<Row> rows;
    private Encoding encoding;
    private Map<String, List<Row>> byGenome;

    public ReplayTable(List<Row> rows) {
        if (rows.isEmpty()) throw new IllegalArgumentException("the replay table has no rows");
        this.rows = List.copyOf(rows);
    }

    public static ReplayTable load(Path file) throws IOException {
        String text = Files.readString(file).strip();
        List<Row> rows = new ArrayList<>();
        if (text.startsWith("[") || (text.startsWith("{") && text.contains("\"items\"") && !text.contains("\n{"))) {
            collect(JSON.readTree(text), rows);
        } else {
            for (String line : text.split("\n")) if (!line.isBlank()) collect(JSON.readTree(line), rows);
        }
        return new ReplayTable(rows);
    }

    @SuppressWarnings("unchecked")
    private static void collect(JsonNode node, List<Row> rows) {
        if (node.isArray()) {
            for (JsonNode n : node) collect(n, rows);
            return;
        }
        if (node.has("items")) {
            collect(node.path("items"), rows);
            return;
        }
        Map<String, Object> config = node.has("config") ? JSON.convertValue(node.path("config"), Map.class) : Map.of();
        double fidelity = node.path("fidelity").asDouble(0);
        String state = node.path("state").asString("DONE");
        boolean failed = node.path("failed").asBoolean(false) || state.equals("FAILED");
        if (!failed && !state.equals("DONE")) return; // cancelled or unfinished trial: no information
        double latency = node.has("latencyMs") ? node.path("latencyMs").asDouble()
                : node.path("measurements").path(0).path("medianMs").asDouble(Double.NaN);
        Map<String, Double> perLayer = new HashMap<>();
        JsonNode layers = node.has("perLayerMs") ? node.path("perLayerMs") : node.path("measurements").path(0).path("metrics").path("perLayerMs");
        for (String name : layers.propertyNames()) perLayer.put(name, layers.path(name).asDouble());
        if (!failed && (Double.isNaN(latency) || !node.has("accuracy"))) return;
        rows.add(new Row(config, fidelity, failed, node.path("accuracy").asDouble(0), latency, node.path("sizeBytes").asLong(0), perLayer));
    }

    public int size() {
        return rows.size();
    }

    public long distinctConfigs() {
        return rows.stream().map(Row::config).distinct().count();
    }

    public double maxFidelity() {
        return rows.stream().filter(r -> !r.config().isEmpty()).mapToDouble(Row::fidelity).max().orElse(1);
    }

    public double minFidelity(double max) {
        return rows.stream().filter(r -> !r.config().isEmpty()).mapToDouble(Row::fidelity).filter(f -> f > 0).min().orElse(max);
    }

    /** Hypervolume of every full-fidelity row: what a strategy that tried the whole table would reach. */
    public double bestHypervolume(Replay.Settings s) {
        Row base = rows.stream().filter(r -> r.config().isEmpty() && !r.failed()).findFirst().orElse(null);
        double baselineSize = base != null ? base.sizeBytes() : rows.stream().mapToLong(Row::sizeBytes).max().orElse(1);
        List<double[]> points = new ArrayList<>();
        for (Row r : rows) {
            if (r.failed() || !SearchHistory.fullFidelity(r.fidelity(), r.config(), s.fidelityMax())) continue;
            points.add(Replay.point(r.accuracy(), r.latencyMs(), r.sizeBytes(), s, baselineSize));
        }
        return Pareto.hypervolume3d(Pareto.nonDominated(points).stream().map(points::get).toList(), Replay.REFERENCE);
    }

    /** Binds the table to the space the strategies search (needed for nearest-neighbour lookups). */
    void bind(SearchSpace space) {
        encoding = new Encoding(space);
        byGenome = new HashMap<>();
        for (Row r : rows) byGenome.computeIfAbsent(Encoding.key(encoding.decode(r.config())), k -> new ArrayList<>()).add(r);
    }

    @Override
    public Outcome evaluate(Map<String, Object> config, double fidelity) {
        if (encoding == null) throw new IllegalStateException("bind the table to a space first");
        int[] g = encoding.decode(config);
        List<Row> same = byGenome.get(Encoding.key(g));
        Row row = same != null ? closestFidelity(same, fidelity) : nearest(g, fidelity);
        return row.failed() ? null : new Outcome(row.accuracy(), row.latencyMs(), row.sizeBytes(), row.perLayerMs());
    }

    private static Row closestFidelity(List<Row> rows, double fidelity) {
        Row best = rows.get(0);
        for (Row r : rows) if (Math.abs(r.fidelity() - fidelity) < Math.abs(best.fidelity() - fidelity)) best = r;
        return best;
    }

    private Row nearest(int[] g, double fidelity) {
        Row best = null;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (Row r : rows) {
            int[] h = encoding.decode(r.config());
            double d = Math.abs(r.fidelity() - fidelity) * 1e-3;
            for (int i = 0; i < g.length; i++) if (g[i] != h[i]) d += 1 + Math.abs(g[i] - h[i]) * 1e-2;
            if (d < bestDistance) {
                bestDistance = d;
                best = r;
            }
        }
        return best;
    }
}
