package dev.frontier.coordinator.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.frontier.coordinator.api.model.ModelProfile;
import dev.frontier.coordinator.api.model.ProfileLayer;
import dev.frontier.coordinator.api.model.SchemeInfo;

/**
 * Derives the space from a model profile (docs/contracts.md): each layer's {@code prunable} schemes,
 * as the worker's scheme registry decided them (a layer without the list is not searched: fitness is
 * decided in one place, the worker's pruners), and the pattern parameters the registry advertises.
 * A job's {@code searchSpace} may only narrow it.
 */
public final class SearchSpaces {
    public static final List<Double> DEFAULT_RATES = List.of(0.25, 0.4, 0.5, 0.6, 0.75, 0.9);
    /** Used only when a profile predates the advertised registry ({@code schemes}). */
    private static final List<Integer> PATTERN_COUNTS = List.of(4, 6, 8);
    private static final List<Double> CONNECTIVITY = List.of(0.0, 0.25, 0.5, 0.75);
    private static final List<Integer> DEFAULT_BITS = List.of(0, 8);

    private SearchSpaces() {
    }

    /** Optional narrowing from the job request; null lists mean "no narrowing". */
    public record Narrowing(List<String> schemes, List<Double> rates, List<Integer> quantizeBits, List<String> layers) {
    }

    /**
     * A choice is destructive when the layer pruned alone by it (BN recalibrated, not fine-tuned: the
     * profile's sensitivity) loses more than this many times the job's usefulness drop. Twice: one-shot
     * single-layer losses of 10-20 pp still fine-tune back, whole-network collapse does not.
     */
    public static final double DESTRUCTIVE_FACTOR = 2;

    public static SearchSpace fromProfile(ModelProfile profile, Narrowing narrowing) {
        return fromProfile(profile, narrowing, Double.POSITIVE_INFINITY);
    }

    /**
     * The space, with each layer's schemes capped below the first probed rate at which the profile's
     * sensitivity falls more than {@code destructiveDrop} points under its baseline (no cap without a
     * sensitivity profile or with an infinite drop).
     */
    public static SearchSpace fromProfile(ModelProfile profile, Narrowing narrowing, double destructiveDrop) {
        List<SearchSpace.LayerChoice> layers = new ArrayList<>();
        List<List<Integer>> blockShapes = blockShapes(profile);
        if (profile != null && profile.getLayers() != null) {
            for (ProfileLayer layer : profile.getLayers()) {
                String name = layer.getName();
                if (name == null) continue;
                if (narrowing != null && narrowing.layers() != null && !narrowing.layers().isEmpty()
                        && !narrowing.layers().contains(name)) continue;
                List<String> schemes = new ArrayList<>(schemesFor(layer));
                // block options need a block shape, and only the worker's registry says which (none advertised: not searched)
                if (blockShapes.isEmpty()) schemes.remove("block");
                if (narrowing != null && narrowing.schemes() != null && !narrowing.schemes().isEmpty()) {
                    schemes.retainAll(narrowing.schemes());
                }
                if (schemes.isEmpty()) continue;
                if (!schemes.contains("none") && (narrowing == null || narrowing.schemes() == null
                        || narrowing.schemes().isEmpty() || narrowing.schemes().contains("none"))) {
                    schemes.add("none");
                }
                if (schemes.size() == 1 && schemes.get(0).equals("none")) continue;
                layers.add(new SearchSpace.LayerChoice(name, List.copyOf(schemes), caps(profile, layer, destructiveDrop)));
            }
        }
        List<Double> rates = narrowing != null && narrowing.rates() != null && !narrowing.rates().isEmpty()
                ? List.copyOf(narrowing.rates()) : DEFAULT_RATES;
        List<Integer> bits = narrowing != null && narrowing.quantizeBits() != null && !narrowing.quantizeBits().isEmpty()
                ? List.copyOf(narrowing.quantizeBits()) : DEFAULT_BITS;
        List<Integer> patternCounts = searchValues(profile, "pattern", "patterns", PATTERN_COUNTS).stream()
                .map(Number::intValue).toList();
        List<Double> connectivity = searchValues(profile, "pattern", "connectivity", CONNECTIVITY).stream()
                .map(Number::doubleValue).filter(c -> c == 0.0 || rates.contains(c)).toList();
        return new SearchSpace(layers, rates, patternCounts, connectivity.isEmpty() ? List.of(0.0) : connectivity, blockShapes, bits);
    }

    /** The block shapes ([rows, cols]) the profile's registry advertises for the block scheme; empty when it advertises none. */
    static List<List<Integer>> blockShapes(ModelProfile profile) {
        List<List<Integer>> out = new ArrayList<>();
        for (Object shape : searchValues(profile, "block", "block")) {
            if (shape instanceof List<?> dims && dims.size() == 2 && dims.stream().allMatch(d -> d instanceof Number n && n.intValue() > 0)) {
                out.add(dims.stream().map(d -> ((Number) d).intValue()).toList());
            }
        }
        return List.copyOf(out);
    }

    /** A scheme parameter's search values as the profile's registry ({@code schemes}) advertises them. */
    static List<? extends Number> searchValues(ModelProfile profile, String scheme, String parameter,
                                               List<? extends Number> fallback) {
        List<?> list = searchValues(profile, scheme, parameter);
        return !list.isEmpty() && list.stream().allMatch(Number.class::isInstance) ? list.stream().map(Number.class::cast).toList() : fallback;
    }

    /** A scheme parameter's advertised search values, whatever their shape; empty when the profile has none. */
    private static List<?> searchValues(ModelProfile profile, String scheme, String parameter) {
        if (profile != null && profile.getSchemes() != null) {
            for (SchemeInfo s : profile.getSchemes()) {
                List<Object> list = scheme.equals(s.getName()) && s.getSearchValues() != null ? s.getSearchValues().get(parameter) : null;
                if (list != null) return list;
            }
        }
        return List.of();
    }

    /** scheme -> the lowest probed rate that is destructive on this layer (see {@link #fromProfile}). */
    static Map<String, Double> caps(ModelProfile profile, ProfileLayer layer, double destructiveDrop) {
        Map<String, Map<String, Double>> bySchemes = layer.getSensitivity();
        if (Double.isInfinite(destructiveDrop) || profile.getSensitivity() == null
                || !(profile.getSensitivity().get("baselineAccuracy") instanceof Number base) || bySchemes == null || bySchemes.isEmpty()) {
            return Map.of();
        }
        double floor = base.doubleValue() - destructiveDrop;
        Map<String, Double> caps = new java.util.LinkedHashMap<>();
        bySchemes.forEach((scheme, byRate) -> {
            if (byRate == null) return;
            java.util.TreeMap<Double, Double> sorted = new java.util.TreeMap<>();
            byRate.forEach((r, acc) -> {
                try {
                    if (acc != null) sorted.put(Double.parseDouble(r), acc);
                } catch (NumberFormatException e) {
                    // not a rate: ignore, a profile from a newer worker may carry more
                }
            });
            for (Map.Entry<Double, Double> e : sorted.entrySet()) {
                if (e.getValue() < floor) {
                    caps.put(scheme, e.getKey());
                    break;
                }
            }
        });
        return Map.copyOf(caps);
    }

    /** One thing wrong with a job's searchSpace: the request field to blame and why. */
    public record Problem(String field, String message) {
    }

    /**
     * What is wrong with a narrowing, first problem first: rates outside (0,1) and bits other than
     * 0/4/8 always; with a profile also unknown or uncompressible layers, schemes that fit none of
     * the searched layers (pattern without a 3x3 convolution) and a space with nothing left in it.
     * Without a profile only the first kind can be checked; the rest is checked when it arrives.
     */
    public static List<Problem> problems(Narrowing narrowing, ModelProfile profile) {
        List<Problem> out = new ArrayList<>();
        if (narrowing == null) narrowing = new Narrowing(null, null, null, null);
        List<Double> rates = narrowing.rates() == null ? List.of() : narrowing.rates();
        for (int i = 0; i < rates.size(); i++) {
            Double r = rates.get(i);
            if (r == null || !(r > 0 && r < 1)) out.add(new Problem("searchSpace.rates[" + i + "]", "rates must be in (0,1), got " + r));
        }
        List<Integer> bits = narrowing.quantizeBits() == null ? List.of() : narrowing.quantizeBits();
        for (int i = 0; i < bits.size(); i++) {
            Integer b = bits.get(i);
            if (b == null || (b != 0 && b != 4 && b != 8)) {
                out.add(new Problem("searchSpace.quantizeBits[" + i + "]", "quantizeBits must be 8 or 4 (or 0 for float32), got " + b));
            }
        }
        if (profile == null || profile.getLayers() == null) return out;

        Map<String, ProfileLayer> byName = new java.util.LinkedHashMap<>();
        for (ProfileLayer l : profile.getLayers()) if (l.getName() != null) byName.put(l.getName(), l);
        List<String> wanted = narrowing.layers() == null || narrowing.layers().isEmpty() ? null : narrowing.layers();
        if (wanted != null) {
            for (int i = 0; i < wanted.size(); i++) {
                ProfileLayer layer = byName.get(wanted.get(i));
                if (layer == null) {
                    out.add(new Problem("searchSpace.layers[" + i + "]", "the model has no layer '" + wanted.get(i) + "' (layers: "
                            + String.join(", ", byName.keySet()) + ")"));
                } else if (schemesFor(layer).isEmpty()) {
                    out.add(new Problem("searchSpace.layers[" + i + "]", "layer '" + wanted.get(i) + "' (" + layer.getOp()
                            + ") has no weights to compress"));
                }
            }
        }
        List<ProfileLayer> searched = byName.entrySet().stream().filter(e -> wanted == null || wanted.contains(e.getKey()))
                .map(Map.Entry::getValue).toList();
        List<String> schemes = narrowing.schemes() == null ? List.of() : narrowing.schemes();
        for (int i = 0; i < schemes.size(); i++) {
            String scheme = schemes.get(i);
            if (scheme.equals("none")) continue;
            boolean fits = searched.stream().anyMatch(l -> schemesFor(l).contains(scheme));
            if (!fits) {
                String first = searched.stream().map(l -> unfitReason(l, scheme)).filter(java.util.Objects::nonNull).findFirst().orElse(null);
                String why = "no searched layer supports '" + scheme + "'" + (first == null ? "" : " (e.g. " + first + ")");
                out.add(new Problem("searchSpace.schemes[" + i + "]", why));
            }
        }
        if (out.isEmpty() && fromProfile(profile, narrowing).isEmpty()) {
            out.add(new Problem("searchSpace", "nothing left to search: no searched layer can use the requested schemes"
                    + " and quantization is float32 only"));
        }
        return out;
    }

    /** The schemes the worker found to fit this layer (none when the profile does not say). */
    static List<String> schemesFor(ProfileLayer layer) {
        if (layer.getPrunable() == null) return List.of();
        return layer.getPrunable().stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }

    /** The worker's reason why {@code scheme} does not fit {@code layer}, if the profile carries one. */
    static String unfitReason(ProfileLayer layer, String scheme) {
        return layer.getUnfit() == null ? null : layer.getUnfit().get(scheme);
    }
}
