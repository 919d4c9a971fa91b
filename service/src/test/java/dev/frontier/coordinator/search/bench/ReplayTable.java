package dev.frontier.coordinator.search.bench;

import dev.frontier.coordinator.api.model.CompressionConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.frontier.coordinator.pareto.Pareto;
import dev.frontier.coordinator.search.Encoding;
import dev.frontier.coordinator.search.SearchHistory;
import dev.frontier.coordinator.search.SearchSpace;

/**
 * Recorded trials as an {@link Oracle}. A proposal is answered from the rows of the recorded
 * fidelity nearest to the one asked: the same config, else its nearest neighbour there (fewest
 * differing genes); by default each row answers once per replayed job ({@link #newRun}). Rows come from JSON Lines
 * ({@code {"config":{..},"fidelity":1,"accuracy":91.2,"latencyMs":3.4,"sizeBytes":123456}}, a
 * {@code "failed":true} row records a build failure) or straight from the API: a
 * {@code GET /api/v1/jobs/{id}/trials?size=500} page, or a JSON array of such pages or trials.
 */
public final class ReplayTable implements Oracle {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public record Row(CompressionConfig config, double fidelity, boolean failed, double accuracy, double latencyMs, long sizeBytes,
            Map<String, Double> perLayerMs) {
    }

    private final List<Row> rows;
    private boolean pool = true;
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
        CompressionConfig config = node.has("config") ? JSON.convertValue(node.path("config"), CompressionConfig.class) : new CompressionConfig();
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

    public List<Row> rows() {
        return rows;
    }

    /**
     * The same rows with latency = the sum of the per-layer medians. On a loaded machine the
     * whole-model median swings with the other jobs (preemption lands in whole samples); the
     * per-layer medians are steadier, so this view shows whether a ranking is only noise.
     */
    public ReplayTable withLayerSumLatency() {
        return new ReplayTable(rows.stream().map(r -> r.failed() || r.perLayerMs().isEmpty() ? r
                : new Row(r.config(), r.fidelity(), false, r.accuracy(),
                        r.perLayerMs().values().stream().mapToDouble(Double::doubleValue).sum(), r.sizeBytes(), r.perLayerMs()))
                .toList());
    }

    public long distinctConfigs() {
        return rows.stream().map(Row::config).distinct().count();
    }

    public double maxFidelity() {
        return rows.stream().filter(r -> !dev.frontier.coordinator.search.Configs.isDense(r.config())).mapToDouble(Row::fidelity).max().orElse(1);
    }

    public double minFidelity(double max) {
        return rows.stream().filter(r -> !dev.frontier.coordinator.search.Configs.isDense(r.config())).mapToDouble(Row::fidelity).filter(f -> f > 0).min().orElse(max);
    }

    /** Hypervolume of every full-fidelity row: what a strategy that tried the whole table would reach. */
    public double bestHypervolume(Replay.Settings s) {
        Row base = rows.stream().filter(r -> dev.frontier.coordinator.search.Configs.isDense(r.config()) && !r.failed()).findFirst().orElse(null);
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

    /** Stateless: the row {@link #pick} chooses with nothing excluded. */
    @Override
    public Outcome evaluate(CompressionConfig config, double fidelity) {
        return outcome(pick(config, fidelity, Set.of()));
    }

    @Override
    public Answer answer(CompressionConfig config, double fidelity) {
        Row row = pick(config, fidelity, Set.of());
        return new Answer(row.config(), outcome(row));
    }

    /**
     * Pool replay (the default): within one replayed job each row answers once, while its level
     * has unused rows. A table recorded by random search is sparse in a space of ~10^10 configs
     * (a random config's nearest row differs in 5-6 of 8 genes), so without this every one-notch
     * move of a local strategy (greedy, NSGA-II mutation) lands on the row it came from and the
     * strategy sees a flat landscape. With it, a replay is a search over the table's trials: the
     * strategy decides which trial comes next, and it learns the config that trial really had.
     */
    @Override
    public Oracle newRun() {
        if (!pool) return this;
        Set<Row> used = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        ReplayTable table = this;
        return new Oracle() {
            @Override
            public Outcome evaluate(CompressionConfig config, double fidelity) {
                return answer(config, fidelity).outcome();
            }

            @Override
            public Answer answer(CompressionConfig config, double fidelity) {
                Row row = table.pick(config, fidelity, used);
                if (!dev.frontier.coordinator.search.Configs.isDense(row.config())) used.add(row);
                return new Answer(row.config(), outcome(row));
            }
        };
    }

    /** The same rows, replayed statelessly: a proposal gets its nearest row even if that row answered before. */
    public ReplayTable nearestOnly() {
        ReplayTable t = new ReplayTable(rows);
        t.pool = false;
        return t;
    }

    /**
     * The row recorded at the fidelity level nearest to the asked one and not in {@code used}
     * (unless all of that level are): the same config if it was recorded there, else its nearest
     * neighbour at that level. A row of another level never answers, because fidelity moves
     * accuracy more than one gene does (0.01 vs 0.05 epoch of fine-tuning is often 10 pp), and
     * because then every full-fidelity answer is a row that {@link #bestHypervolume} counts, so no
     * replay can beat the table's best.
     */
    Row pick(CompressionConfig config, double fidelity, Set<Row> used) {
        if (encoding == null) throw new IllegalStateException("bind the table to a space first");
        int[] g = encoding.decode(config);
        double level = nearestLevel(config, fidelity);
        boolean fresh = rows.stream().anyMatch(r -> level(r) == level && !used.contains(r));
        List<Row> same = byGenome.getOrDefault(Encoding.key(g), List.of()).stream()
                .filter(r -> level(r) == level && (!fresh || !used.contains(r))).toList();
        return !same.isEmpty() ? same.get(0) : nearest(g, level, fresh ? used : Set.of());
    }

    private static Outcome outcome(Row row) {
        return row.failed() ? null : new Outcome(row.accuracy(), row.latencyMs(), row.sizeBytes(), row.perLayerMs());
    }

    /** The dense baseline is its own level (fidelity 0, never fine-tuned). */
    private static double level(Row r) {
        return dev.frontier.coordinator.search.Configs.isDense(r.config()) ? -1 : r.fidelity();
    }

    private double nearestLevel(CompressionConfig config, double fidelity) {
        if (dev.frontier.coordinator.search.Configs.isDense(config) && rows.stream().anyMatch(r -> dev.frontier.coordinator.search.Configs.isDense(r.config()))) return -1;
        double best = Double.NaN;
        for (Row r : rows) {
            if (dev.frontier.coordinator.search.Configs.isDense(r.config())) continue;
            if (Double.isNaN(best) || Math.abs(r.fidelity() - fidelity) < Math.abs(best - fidelity)) best = r.fidelity();
        }
        return best;
    }

    private Row nearest(int[] g, double level, Set<Row> used) {
        Row best = null;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (Row r : rows) {
            if (level(r) != level || used.contains(r)) continue;
            int[] h = encoding.decode(r.config());
            double d = 0;
            for (int i = 0; i < g.length; i++) if (g[i] != h[i]) d += 1 + Math.abs(g[i] - h[i]) * 1e-2;
            if (d < bestDistance) {
                bestDistance = d;
                best = r;
            }
        }
        return best;
    }
}
