package dev.frontier.coordinator.search.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.frontier.coordinator.search.SearchSpace;
import dev.frontier.coordinator.search.SearchSpaces;
import dev.frontier.coordinator.search.Strategies;

/**
 * Replays every strategy against a table of real trials and prints hypervolume against trials,
 * mean and spread over seeds, how many trials each needs to reach 95% of the table's best
 * hypervolume, and the wall time the strategy (with the replay's bookkeeping) spent per trial.
 * See README.md next to this file for the table format and the command.
 *
 * <pre>
 * ReplayBenchmark --table trials.json --profile profile.json --target-ms 4 --max-drop 1
 *                 [--trials 150] [--seeds 10] [--in-flight 4] [--fidelity-min F] [--fidelity-max F]
 *                 [--strategies random,grid,nsga2,greedy,surrogate] [--latency median|layers] [--replay pool|nearest]
 *                 [--search-space narrowing.json]   (the job's searchSpace, when the table was recorded on a narrowed space)
 * ReplayBenchmark --synthetic ...   (the SYNTHETIC test fixture: checks the harness, ranks nothing)
 * </pre>
 */
public final class ReplayBenchmark {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ReplayBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("unexpected " + args[i]);
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            a.put(args[i].substring(2), flag ? "true" : args[++i]);
        }
        int trials = Integer.parseInt(a.getOrDefault("trials", "150"));
        int seeds = Integer.parseInt(a.getOrDefault("seeds", "10"));
        int inFlight = Integer.parseInt(a.getOrDefault("in-flight", "4"));
        double maxDrop = Double.parseDouble(a.getOrDefault("max-drop", "1"));
        List<String> strategies = List.of(a.getOrDefault("strategies", String.join(",", Strategies.NAMES)).split(","));

        Oracle oracle;
        SearchSpace space;
        double target;
        double fMin;
        double fMax;
        double best;
        if (a.containsKey("synthetic")) {
            SyntheticProblem p = new SyntheticProblem();
            oracle = p;
            space = SyntheticProblem.space();
            target = Double.parseDouble(a.getOrDefault("target-ms", String.valueOf(p.baselineLatency() * 0.5)));
            fMin = Double.parseDouble(a.getOrDefault("fidelity-min", "0.25"));
            fMax = Double.parseDouble(a.getOrDefault("fidelity-max", "1"));
            best = Double.NaN;
            System.out.println("SYNTHETIC TEST FIXTURE (made-up monotone model, not measurements): checks the harness, ranks nothing");
        } else {
            ReplayTable table = ReplayTable.load(Path.of(require(a, "table")));
            String latency = a.getOrDefault("latency", "median");
            if (latency.equals("layers")) table = table.withLayerSumLatency();
            else if (!latency.equals("median")) throw new IllegalArgumentException("--latency is median or layers, got " + latency);
            String replay = a.getOrDefault("replay", "pool");
            if (replay.equals("nearest")) table = table.nearestOnly();
            else if (!replay.equals("pool")) throw new IllegalArgumentException("--replay is pool or nearest, got " + replay);
            Map<String, Object> profile = JSON.readValue(Files.readString(Path.of(require(a, "profile"))), LinkedHashMap.class);
            if (profile.get("profile") instanceof Map<?, ?> inner) profile = castMap(inner); // a GET /models/{id} body
            // recorded before profiles advertised it
            space = SearchSpaces.fromProfile(dev.frontier.coordinator.support.TestProfiles.profile(profile), a.containsKey("search-space") ? narrowing(Path.of(a.get("search-space"))) : null);
            table.bind(space);
            oracle = table;
            target = Double.parseDouble(require(a, "target-ms"));
            fMax = Double.parseDouble(a.getOrDefault("fidelity-max", String.valueOf(table.maxFidelity())));
            fMin = Double.parseDouble(a.getOrDefault("fidelity-min", String.valueOf(table.minFidelity(fMax))));
            best = table.bestHypervolume(new Replay.Settings(space, target, maxDrop, trials, inFlight, fMin, fMax));
            System.out.printf(Locale.ROOT, "table %s: %d rows, %d distinct configs, latency %s, %s replay, best hypervolume %.5f%n",
                    a.get("table"), table.size(), table.distinctConfigs(), latency.equals("layers") ? "sum of per-layer medians"
                            : "whole-model median", replay, best);
        }
        Replay.Settings s = new Replay.Settings(space, target, maxDrop, trials, inFlight, fMin, fMax);
        System.out.printf(Locale.ROOT, "target %.3f ms, max drop %.2f, %d trials, %d seeds, %d in flight, fidelity %.3g..%.3g%n",
                target, maxDrop, trials, seeds, inFlight, fMin, fMax);

        Map<String, double[][]> curves = new LinkedHashMap<>();
        Map<String, Double> msPerTrial = new LinkedHashMap<>();
        for (String name : strategies) {
            double[][] c = new double[seeds][];
            long start = System.nanoTime();
            long ran = 0;
            for (int seed = 0; seed < seeds; seed++) {
                double[] hv = Replay.run(name, 1000 + seed, oracle, s).hypervolume();
                ran += hv.length;
                c[seed] = pad(hv, trials);
            }
            msPerTrial.put(name, (System.nanoTime() - start) / 1e6 / Math.max(1, ran));
            curves.put(name, c);
        }
        if (Double.isNaN(best)) best = curves.values().stream().flatMap(java.util.Arrays::stream)
                .mapToDouble(c -> c[c.length - 1]).max().orElse(0);

        List<Integer> checkpoints = new ArrayList<>();
        for (int t : new int[] {10, 20, 30, 50, 75, 100, 150, 200, 300, 500}) if (t <= trials) checkpoints.add(t);
        if (!checkpoints.contains(trials)) checkpoints.add(trials);
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-8s", "trials"));
        for (String name : strategies) header.append(String.format(Locale.ROOT, " | %-18s", name + " mean±sd"));
        System.out.println();
        System.out.println("hypervolume (mean ± stdev over seeds)");
        System.out.println(header);
        for (int t : checkpoints) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-8d", t));
            for (String name : strategies) {
                double[] v = java.util.Arrays.stream(curves.get(name)).mapToDouble(c -> c[t - 1]).toArray();
                row.append(String.format(Locale.ROOT, " | %8.5f ± %-7.5f", mean(v), sd(v)));
            }
            System.out.println(row);
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "trials to reach 95%% of the best hypervolume (%.5f): median over all seeds"
                + " (a seed that never reached it counts as more than %d), quartiles, seeds that reached it%n", best, trials);
        for (String name : strategies) {
            List<Integer> needed = new ArrayList<>();
            for (double[] c : curves.get(name)) {
                int k = new Replay.Run(c, List.of(), List.of()).trialsTo(0.95 * best);
                needed.add(k > 0 ? k : Integer.MAX_VALUE);
            }
            needed.sort(Integer::compare);
            long reached = needed.stream().filter(k -> k != Integer.MAX_VALUE).count();
            System.out.printf(Locale.ROOT, "  %-8s %6s  [%s .. %s]  (%d/%d)   %.1f ms of search per trial%n", name,
                    show(quantile(needed, 0.5)), show(quantile(needed, 0.25)), show(quantile(needed, 0.75)), reached, seeds,
                    msPerTrial.get(name));
        }
    }

    /** A job's {@code searchSpace} object (schemes, rates, quantizeBits, layers; each optional). */
    @SuppressWarnings("unchecked")
    static SearchSpaces.Narrowing narrowing(Path file) throws IOException {
        Map<String, Object> n = JSON.readValue(Files.readString(file), LinkedHashMap.class);
        List<Double> rates = n.get("rates") == null ? null : ((List<Number>) n.get("rates")).stream().map(Number::doubleValue).toList();
        return new SearchSpaces.Narrowing((List<String>) n.get("schemes"), rates, (List<Integer>) n.get("quantizeBits"),
                (List<String>) n.get("layers"));
    }

    /** Lower empirical quantile of sorted values. */
    private static int quantile(List<Integer> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * (sorted.size() - 1) + 0.5)));
    }

    private static String show(int trials) {
        return trials == Integer.MAX_VALUE ? "never" : String.valueOf(trials);
    }

    private static double[] pad(double[] hv, int n) {
        double[] out = java.util.Arrays.copyOf(hv, n);
        for (int i = hv.length; i < n; i++) out[i] = hv.length == 0 ? 0 : hv[hv.length - 1];
        return out;
    }

    private static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElse(0);
    }

    private static double sd(double[] v) {
        double m = mean(v);
        return Math.sqrt(java.util.Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / Math.max(1, v.length - 1));
    }

    private static String require(Map<String, String> a, String key) {
        String v = a.get(key);
        if (v == null) throw new IllegalArgumentException("--" + key + " is required (or --synthetic)");
        return v;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    static JsonNode readTree(Path file) throws IOException {
        return JSON.readTree(Files.readString(file));
    }
}
