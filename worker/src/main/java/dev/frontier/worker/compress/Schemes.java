package dev.frontier.worker.compress;

import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleFunction;
import java.util.function.Supplier;

import tools.jackson.databind.JsonNode;

/**
 * The pruning schemes, one entry each: the wire name, the keys its configuration takes and how they
 * parse into a {@link PruneSpec}, the pruner, and the values a search tries. The pruner's
 * {@link PruningScheme#unfitReason} is the only fitness rule: the compressor checks configurations
 * with it, the model profile lists each layer's {@code prunable} schemes from it, and the coordinator
 * builds its search space from that list (it never decides fitness itself). Adding a scheme = an
 * entry here, its {@link PruneSpec} and {@link PruningScheme}, and a test.
 */
public final class Schemes {

    /** How a scheme's configuration object parses; {@code path} names it in error messages. */
    @FunctionalInterface
    interface Parser {
        PruneSpec parse(JsonNode config, String path);
    }

    /**
     * One scheme. {@code atStrength} is the configuration a search or a sensitivity probe uses at one
     * strength (the removed fraction; for pattern the connectivity on top of the 4-of-9 patterns);
     * {@code searchValues} are the extra parameter values a search may try, advertised in the profile.
     */
    public record Scheme(String name, Set<String> keys, Parser parser, Supplier<PruningScheme<?>> pruner,
                         DoubleFunction<Map<String, Object>> atStrength, Map<String, List<?>> searchValues) {
    }

    /** The block shape the search and the probes use: 4 output rows x 16 inputs, one vector's worth. */
    public static final List<Integer> SEARCH_BLOCK = List.of(4, 16);

    private static final List<Scheme> ALL = List.of(
            new Scheme("pattern", Set.of("scheme", "patterns", "connectivity", "library"),
                    (p, path) -> new PruneSpec.Pattern(
                            CompressionConfig.integer(p, "patterns", PruneSpec.Pattern.MAX_PATTERNS, path),
                            CompressionConfig.number(p, "connectivity", 0.0, path),
                            PruneSpec.LibraryScope.parse(CompressionConfig.string(p, "library", "model", path))),
                    () -> new PatternPruning(null),
                    s -> config("pattern", "patterns", PruneSpec.Pattern.MAX_PATTERNS, "connectivity", s),
                    Map.of("patterns", List.of(4, 6, 8), "connectivity", List.of(0.0, 0.25, 0.5, 0.75))),
            new Scheme("connectivity", Set.of("scheme", "rate"),
                    (p, path) -> new PruneSpec.Connectivity(CompressionConfig.number(p, "rate", null, path)),
                    ConnectivityPruning::new, s -> config("connectivity", "rate", s), Map.of()),
            new Scheme("block", Set.of("scheme", "rate", "block", "along"), CompressionConfig::block, BlockPruning::new,
                    s -> config("block", "rate", s, "block", SEARCH_BLOCK), Map.of("block", List.of(SEARCH_BLOCK))),
            new Scheme("filter", Set.of("scheme", "rate", "criterion"),
                    (p, path) -> new PruneSpec.Filter(CompressionConfig.number(p, "rate", null, path),
                            PruneSpec.FilterCriterion.parse(CompressionConfig.string(p, "criterion", "l2", path))),
                    FilterPruning::new, s -> config("filter", "rate", s), Map.of()),
            new Scheme("unstructured", Set.of("scheme", "rate"),
                    (p, path) -> new PruneSpec.Unstructured(CompressionConfig.number(p, "rate", null, path)),
                    UnstructuredPruning::new, s -> config("unstructured", "rate", s), Map.of()));

    /** The keys of the "keep this layer dense" entry, which is a configuration value but not a scheme. */
    static final Set<String> NONE_KEYS = Set.of("scheme");

    private Schemes() {
    }

    public static List<Scheme> all() {
        return ALL;
    }

    public static List<String> names() {
        return ALL.stream().map(Scheme::name).toList();
    }

    /** The scheme with exactly this wire name. */
    public static Optional<Scheme> byName(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The pruner for a spec's scheme. */
    @SuppressWarnings("unchecked")
    static <S extends PruneSpec> PruningScheme<S> pruner(S spec) {
        return (PruningScheme<S>) byName(spec.scheme())
                .orElseThrow(() -> new IllegalArgumentException("no pruning scheme for " + spec.describe()))
                .pruner().get();
    }

    /** The schemes that can prune {@code layer} of {@code g}, in registry order. */
    public static List<String> fitting(Graph g, Node layer) {
        return fitting(unfit(g, layer));
    }

    /** The schemes of an {@link #unfit} answer that have no reason against them. */
    public static List<String> fitting(Map<String, String> unfit) {
        return unfit.entrySet().stream().filter(e -> e.getValue() == null).map(Map.Entry::getKey).toList();
    }

    /** Every scheme with why it cannot prune {@code layer} (null when it can). */
    public static Map<String, String> unfit(Graph g, Node layer) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Scheme s : ALL) {
            out.put(s.name(), s.pruner().get().unfitReason(g, layer));
        }
        return out;
    }

    /** What the profile advertises: each scheme's name, configuration keys and search values. */
    public static List<Map<String, Object>> advertised() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Scheme s : ALL) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("parameters", s.keys().stream().filter(k -> !k.equals("scheme")).sorted().toList());
            m.put("searchValues", new java.util.TreeMap<>(s.searchValues()));
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> config(String scheme, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scheme", scheme);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
