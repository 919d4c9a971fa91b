package dev.frontier.worker.compress;

import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.DoubleFunction;
import java.util.function.Supplier;

import dev.frontier.worker.contract.PruneSettings;
import dev.frontier.worker.contract.SchemeInfo;

/**
 * The pruning schemes, one entry each: the wire name, the keys its configuration takes and how they
 * parse into a {@link PruneSpec}, the pruner, and the values a search tries. The pruner's
 * {@link PruningScheme#unfitReason} is the only fitness rule: the compressor checks configurations
 * with it, the model profile lists each layer's {@code prunable} schemes from it, and the coordinator
 * builds its search space from that list (it never decides fitness itself). Adding a scheme = an
 * entry here, its {@link PruneSpec} and {@link PruningScheme}, and a test.
 */
public final class Schemes {

    /** How a scheme's settings become a {@link PruneSpec} (the keys were checked against {@link Scheme#keys}). */
    @FunctionalInterface
    interface Parser {
        PruneSpec parse(PruneSettings settings);
    }

    /**
     * One scheme. {@code atStrength} is the configuration a search or a sensitivity probe uses at one
     * strength (the removed fraction; for pattern the connectivity on top of the 4-of-9 patterns);
     * {@code searchValues} are the extra parameter values a search may try, advertised in the profile.
     */
    public record Scheme(String name, Set<String> keys, Parser parser, Supplier<PruningScheme<?>> pruner,
                         DoubleFunction<PruneSettings> atStrength, Map<String, List<?>> searchValues) {
    }

    /**
     * The block shape the search and the probes use: 4 output rows x 16 inputs, one vector's worth.
     * The coordinator learns it from the profile's advertised {@code searchValues}, never by its own copy.
     */
    public static final List<Integer> SEARCH_BLOCK = List.of(4, 16);

    private static final List<Scheme> ALL = List.of(
            new Scheme("pattern", Set.of("scheme", "patterns", "connectivity", "library"),
                    p -> new PruneSpec.Pattern(
                            p.getPatterns() == null ? PruneSpec.Pattern.MAX_PATTERNS : p.getPatterns(),
                            p.getConnectivity() == null ? 0.0 : p.getConnectivity(),
                            p.getLibrary() == null ? PruneSpec.LibraryScope.MODEL : PruneSpec.LibraryScope.parse(p.getLibrary().getValue())),
                    () -> new PatternPruning(null),
                    s -> settings("pattern").patterns(PruneSpec.Pattern.MAX_PATTERNS).connectivity(s),
                    Map.of("patterns", List.of(4, 6, 8), "connectivity", List.of(0.0, 0.25, 0.5, 0.75))),
            new Scheme("connectivity", Set.of("scheme", "rate"),
                    p -> new PruneSpec.Connectivity(CompressionConfig.rate(p)),
                    ConnectivityPruning::new, s -> settings("connectivity").rate(s), Map.of()),
            new Scheme("block", Set.of("scheme", "rate", "block", "along"), CompressionConfig::block, BlockPruning::new,
                    s -> settings("block").rate(s).block(SEARCH_BLOCK), Map.of("block", List.of(SEARCH_BLOCK))),
            new Scheme("filter", Set.of("scheme", "rate", "criterion"),
                    p -> new PruneSpec.Filter(CompressionConfig.rate(p),
                            p.getCriterion() == null ? PruneSpec.FilterCriterion.L2 : PruneSpec.FilterCriterion.parse(p.getCriterion().getValue())),
                    FilterPruning::new, s -> settings("filter").rate(s), Map.of()),
            new Scheme("unstructured", Set.of("scheme", "rate"),
                    p -> new PruneSpec.Unstructured(CompressionConfig.rate(p)),
                    UnstructuredPruning::new, s -> settings("unstructured").rate(s), Map.of()));

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
    public static List<SchemeInfo> advertised() {
        List<SchemeInfo> out = new ArrayList<>();
        for (Scheme s : ALL) {
            Map<String, List<Object>> values = new TreeMap<>();
            s.searchValues().forEach((k, v) -> values.put(k, List.copyOf(v)));
            out.add(new SchemeInfo().name(s.name()).parameters(s.keys().stream().filter(k -> !k.equals("scheme")).sorted().toList())
                    .searchValues(values));
        }
        return out;
    }

    /** A setting of the scheme with this wire name (the contract's enum lists the same names; SchemesTest checks it). */
    private static PruneSettings settings(String scheme) {
        return new PruneSettings().scheme(dev.frontier.worker.contract.Scheme.fromValue(scheme));
    }
}
