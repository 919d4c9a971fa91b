package dev.frontier.coordinator.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Derives the space from a model profile (docs/contracts.md): each layer's {@code prunable}
 * schemes when the profile lists them, otherwise what fits its op and kernel. A job's
 * {@code searchSpace} may only narrow it.
 */
public final class SearchSpaces {
    public static final List<Double> DEFAULT_RATES = List.of(0.25, 0.4, 0.5, 0.6, 0.75, 0.9);
    private static final List<Integer> PATTERN_COUNTS = List.of(4, 6, 8);
    private static final List<Double> CONNECTIVITY = List.of(0.0, 0.25, 0.5, 0.75);
    private static final List<Integer> DEFAULT_BITS = List.of(0, 8);

    private SearchSpaces() {
    }

    /** Optional narrowing from the job request; null lists mean "no narrowing". */
    public record Narrowing(List<String> schemes, List<Double> rates, List<Integer> quantizeBits, List<String> layers) {
    }

    public static SearchSpace fromProfile(Map<String, Object> profile, Narrowing narrowing) {
        List<SearchSpace.LayerChoice> layers = new ArrayList<>();
        Object raw = profile == null ? null : profile.get("layers");
        if (raw instanceof List<?> list) {
            for (Object o : list) {
                if (!(o instanceof Map<?, ?> layer) || !(layer.get("name") instanceof String name)) continue;
                if (narrowing != null && narrowing.layers() != null && !narrowing.layers().isEmpty()
                        && !narrowing.layers().contains(name)) continue;
                List<String> schemes = new ArrayList<>(schemesFor(layer));
                if (narrowing != null && narrowing.schemes() != null && !narrowing.schemes().isEmpty()) {
                    schemes.retainAll(narrowing.schemes());
                }
                if (schemes.isEmpty()) continue;
                if (!schemes.contains("none") && (narrowing == null || narrowing.schemes() == null
                        || narrowing.schemes().isEmpty() || narrowing.schemes().contains("none"))) {
                    schemes.add("none");
                }
                if (schemes.size() == 1 && schemes.get(0).equals("none")) continue;
                layers.add(new SearchSpace.LayerChoice(name, List.copyOf(schemes)));
            }
        }
        List<Double> rates = narrowing != null && narrowing.rates() != null && !narrowing.rates().isEmpty()
                ? List.copyOf(narrowing.rates()) : DEFAULT_RATES;
        List<Integer> bits = narrowing != null && narrowing.quantizeBits() != null && !narrowing.quantizeBits().isEmpty()
                ? List.copyOf(narrowing.quantizeBits()) : DEFAULT_BITS;
        List<Double> connectivity = CONNECTIVITY.stream().filter(c -> c == 0.0 || rates.contains(c)).toList();
        return new SearchSpace(layers, rates, PATTERN_COUNTS, connectivity.isEmpty() ? List.of(0.0) : connectivity, bits);
    }

    static List<String> schemesFor(Map<?, ?> layer) {
        if (layer.get("prunable") instanceof List<?> listed) {
            return listed.stream().map(String::valueOf).map(s -> s.toLowerCase(Locale.ROOT)).toList();
        }
        String op = String.valueOf(layer.get("op")).toLowerCase(Locale.ROOT);
        if (op.startsWith("conv")) {
            return is3x3(layer.get("kernel"))
                    ? List.of("pattern", "connectivity", "filter", "unstructured", "block")
                    : List.of("connectivity", "filter", "unstructured", "block");
        }
        if (op.equals("linear") || op.equals("dense") || op.equals("fc") || op.equals("gemm")) {
            return List.of("block", "filter", "unstructured");
        }
        return List.of();
    }

    private static boolean is3x3(Object kernel) {
        return kernel instanceof List<?> k && k.size() == 2 && "3".equals(String.valueOf(k.get(0))) && "3".equals(String.valueOf(k.get(1)));
    }
}
