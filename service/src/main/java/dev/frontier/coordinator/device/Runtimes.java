package dev.frontier.coordinator.device;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Runtime names as stored (comma-separated, in order) and their default order. Pure: no Spring.
 * A device that declares no runtime is a Frontier JVM agent from before runtimes existed.
 */
public final class Runtimes {
    public static final String JVM = "frontier-jvm";
    public static final String NATIVE = "frontier-native";
    public static final String ONNXRUNTIME = "onnxruntime";
    /** The default order when a job names none: the fastest Frontier runtime first, since the first steers the search. */
    private static final List<String> PREFERRED = List.of(NATIVE, JVM, ONNXRUNTIME);

    private Runtimes() {
    }

    public static List<String> parse(String csv) {
        if (csv == null || csv.isBlank()) return List.of(JVM);
        return Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    public static String join(Collection<String> names) {
        return String.join(",", names);
    }

    /** {@code names} without repeats, in the default order (known runtimes first, then by name). */
    public static List<String> inDefaultOrder(Collection<String> names) {
        List<String> out = new ArrayList<>(new java.util.LinkedHashSet<>(names));
        out.sort(Comparator.comparingInt((String n) -> PREFERRED.contains(n) ? PREFERRED.indexOf(n) : PREFERRED.size())
                .thenComparing(Comparator.naturalOrder()));
        return out;
    }
}
