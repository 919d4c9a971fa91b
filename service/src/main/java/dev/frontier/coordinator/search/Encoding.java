package dev.frontier.coordinator.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

import dev.frontier.coordinator.api.model.CompressionConfig;
import dev.frontier.coordinator.api.model.LayerCompression;
import dev.frontier.coordinator.api.model.PruneSettings;

/**
 * The space as a genome: one gene per prunable layer (the index of one concrete option: scheme and
 * its parameters) and a last gene for the model-wide quantization bits. Each layer's options are
 * sorted from lightest to heaviest estimated weight reduction, so "one notch tighter" has a meaning
 * for the greedy strategy and mutation can step to a neighbour. Configs are the contract's
 * {@code CompressionConfig}, written by {@link Configs} as {@link RandomStrategy} writes them.
 */
public final class Encoding {

    /**
     * One concrete setting of a layer; {@code reduction} = estimated weight-reduction factor;
     * {@code block} is the block shape of a block option (as the profile advertises it), else null.
     */
    public record Option(String scheme, double rate, int patterns, double connectivity, List<Integer> block, double reduction) {
        Option(String scheme, double rate, int patterns, double connectivity, double reduction) {
            this(scheme, rate, patterns, connectivity, null, reduction);
        }

        PruneSettings prune() {
            return Configs.prune(scheme, rate, patterns, connectivity, block);
        }
    }

    private final SearchSpace space;
    private final List<List<Option>> options = new ArrayList<>();
    private final List<Integer> bits;

    public Encoding(SearchSpace space) {
        this.space = space;
        for (SearchSpace.LayerChoice layer : space.layers()) {
            List<Option> list = new ArrayList<>();
            for (String scheme : layer.schemes()) {
                switch (scheme) {
                    case "none" -> list.add(new Option("none", 0, 0, 0, 1));
                    case "pattern" -> {
                        for (int p : space.patternCounts()) {
                            for (double c : space.connectivity()) {
                                if (!layer.allows("pattern", c)) continue;
                                // fewer shapes in the library fit worse: a tiny tie-breaker so 4 sorts after 8
                                list.add(new Option("pattern", 0, p, c, 9.0 / 4 / (1 - c) + (8 - p) * 1e-3));
                            }
                        }
                    }
                    case "block" -> {
                        for (List<Integer> shape : space.blockShapes()) {
                            for (double r : space.rates()) {
                                if (layer.allows(scheme, r)) list.add(new Option(scheme, r, 0, 0, shape, 1 / (1 - r)));
                            }
                        }
                    }
                    default -> {
                        for (double r : space.rates()) {
                            if (layer.allows(scheme, r)) list.add(new Option(scheme, r, 0, 0, 1 / (1 - r)));
                        }
                    }
                }
            }
            list.sort(Comparator.comparingDouble(Option::reduction).thenComparing(Option::scheme));
            options.add(List.copyOf(list));
        }
        // heavier quantization last: float32 (0), 8, 4
        this.bits = space.quantizeBits().stream().distinct()
                .sorted(Comparator.comparingInt(b -> b == 0 ? 0 : 100 - b)).toList();
    }

    public SearchSpace space() {
        return space;
    }

    /** Number of genes: one per layer plus the quantization gene. */
    public int genes() {
        return options.size() + 1;
    }

    public int arity(int gene) {
        return gene < options.size() ? options.get(gene).size() : bits.size();
    }

    public List<Option> options(int layer) {
        return options.get(layer);
    }

    public String layerName(int layer) {
        return space.layers().get(layer).name();
    }

    public int bits(int index) {
        return bits.get(index);
    }

    /** Size of the whole grid, or -1 when it does not fit in a long. */
    public long size() {
        long n = 1;
        try {
            for (int g = 0; g < genes(); g++) n = Math.multiplyExact(n, arity(g));
        } catch (ArithmeticException e) {
            return -1;
        }
        return n;
    }

    public int[] random(RandomGenerator random) {
        int[] g = new int[genes()];
        for (int i = 0; i < g.length; i++) g[i] = random.nextInt(arity(i));
        return g;
    }

    /** The lightest point: every layer at its lightest option (dense when allowed), float32 when allowed. */
    public int[] lightest() {
        return new int[genes()];
    }

    /** Mixed-radix decoding of a grid index. */
    public int[] fromIndex(long index) {
        int[] g = new int[genes()];
        for (int i = g.length - 1; i >= 0; i--) {
            g[i] = (int) (index % arity(i));
            index /= arity(i);
        }
        return g;
    }

    public CompressionConfig config(int[] genome) {
        Map<String, PruneSettings> layers = new LinkedHashMap<>();
        for (int i = 0; i < options.size(); i++) {
            PruneSettings prune = options.get(i).get(genome[i]).prune();
            if (prune != null) layers.put(layerName(i), prune);
        }
        return Configs.of(layers, bits.isEmpty() ? 0 : bits.get(genome[genome.length - 1]));
    }

    /**
     * The genome nearest to a config (from this job, an earlier job or a replay table): per layer the
     * option of the same scheme with the closest parameters, the lightest option when the layer is
     * absent or its scheme is not in the space.
     */
    public int[] decode(CompressionConfig config) {
        int[] g = new int[genes()];
        Map<String, LayerCompression> layers = config == null || config.getLayers() == null ? Map.of() : config.getLayers();
        for (int i = 0; i < options.size(); i++) {
            LayerCompression settings = layers.get(layerName(i));
            PruneSettings prune = settings == null ? null : settings.getPrune();
            g[i] = prune == null ? 0 : nearest(options.get(i), prune);
        }
        int idx = bits.indexOf(Configs.bits(config));
        g[g.length - 1] = Math.max(idx, 0);
        return g;
    }

    private static int nearest(List<Option> list, PruneSettings prune) {
        String scheme = prune.getScheme().getValue();
        double rate = prune.getRate() == null ? 0 : prune.getRate();
        int patterns = prune.getPatterns() == null ? 8 : prune.getPatterns();
        double connectivity = prune.getConnectivity() == null ? 0 : prune.getConnectivity();
        int best = 0;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int i = 0; i < list.size(); i++) {
            Option o = list.get(i);
            if (!o.scheme().equals(scheme)) continue;
            double d = Math.abs(o.rate() - rate) + Math.abs(o.connectivity() - connectivity) + Math.abs(o.patterns() - patterns) * 0.01
                    + (o.block() != null && !o.block().equals(prune.getBlock()) ? 1 : 0);
            if (d < bestDistance) {
                bestDistance = d;
                best = i;
            }
        }
        return best;
    }

    /** Per option of a layer: the index of its scheme among the layer's pruning schemes (in option order), -1 when dense. */
    int[] schemeIndices(int layer) {
        List<String> schemes = new ArrayList<>();
        List<Option> list = options.get(layer);
        int[] out = new int[list.size()];
        for (int o = 0; o < list.size(); o++) {
            String scheme = list.get(o).scheme();
            if (scheme.equals("none")) {
                out[o] = -1;
                continue;
            }
            if (!schemes.contains(scheme)) schemes.add(scheme);
            out[o] = schemes.indexOf(scheme);
        }
        return out;
    }

    /** Order in which a dense layer tries schemes when tightened: the ones a compiler turns into speed first. */
    private static final List<String> PREFERENCE = List.of("pattern", "block", "connectivity", "filter", "unstructured");

    /**
     * One notch heavier on the same layer: the next option of the same scheme that removes clearly
     * more weights; from dense, the lightest option of the layer's preferred scheme (pattern for 3x3
     * convs, then block, connectivity, filter, unstructured), so a greedy step costs one trial per layer.
     */
    public List<Integer> tighter(int layer, int current) {
        List<Option> list = options.get(layer);
        Option o = list.get(current);
        if (o.scheme().equals("none")) {
            for (String scheme : PREFERENCE) {
                for (int i = 0; i < list.size(); i++) if (list.get(i).scheme().equals(scheme)) return List.of(i);
            }
            return List.of();
        }
        for (int i = current + 1; i < list.size(); i++) {
            if (list.get(i).scheme().equals(o.scheme()) && list.get(i).reduction() > o.reduction() * 1.01) return List.of(i);
        }
        return List.of();
    }

    /** Every scheme's lightest option, for a dense layer (exploration may switch schemes). */
    List<Integer> firstOfEachScheme(int layer) {
        List<Option> list = options.get(layer);
        List<Integer> out = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!list.get(i).scheme().equals("none") && !seen.contains(list.get(i).scheme())) {
                seen.add(list.get(i).scheme());
                out.add(i);
            }
        }
        return out;
    }

    /** The neighbours of one option: one notch lighter or heavier within its scheme, and dense. */
    public List<Integer> neighbours(int gene, int current) {
        List<Integer> out = new ArrayList<>();
        if (gene == options.size()) {
            if (current > 0) out.add(current - 1);
            if (current + 1 < bits.size()) out.add(current + 1);
            return out;
        }
        List<Option> list = options.get(gene);
        String scheme = list.get(current).scheme();
        for (int i = current - 1; i >= 0; i--) {
            if (list.get(i).scheme().equals(scheme)) {
                out.add(i);
                break;
            }
        }
        if (scheme.equals("none")) out.addAll(firstOfEachScheme(gene));
        else out.addAll(tighter(gene, current));
        if (!scheme.equals("none") && list.get(0).scheme().equals("none")) out.add(0);
        return out;
    }

    public static String key(int[] genome) {
        return Arrays.toString(genome);
    }
}
