package dev.frontier.worker.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --key value} and {@code --flag} options, with typed getters that fail with a clear message. */
public final class Args {
    private static final Set<String> FLAGS = Set.of("help", "json", "quiet", "scalar");
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> flags = new HashSet<>();
    private final Set<String> used = new HashSet<>();

    public static Args parse(String[] argv) {
        Args a = new Args();
        for (int i = 0; i < argv.length; i++) {
            String s = argv[i];
            if (!s.startsWith("--") || s.length() < 3) {
                throw new UsageException("unexpected argument '" + s + "'");
            }
            String key = s.substring(2);
            int eq = key.indexOf('=');
            if (eq > 0) {
                a.values.put(key.substring(0, eq), key.substring(eq + 1));
            } else if (FLAGS.contains(key) || i + 1 >= argv.length || argv[i + 1].startsWith("--")) {
                a.flags.add(key);
            } else {
                a.values.put(key, argv[++i]);
            }
        }
        return a;
    }

    public boolean flag(String name) {
        used.add(name);
        return flags.contains(name) || "true".equalsIgnoreCase(values.get(name));
    }

    public boolean has(String name) {
        return values.containsKey(name) || flags.contains(name);
    }

    public String string(String name) {
        used.add(name);
        String v = values.get(name);
        if (v == null) {
            throw new UsageException("missing required option --" + name);
        }
        return v;
    }

    public String string(String name, String def) {
        used.add(name);
        return values.getOrDefault(name, def);
    }

    public int integer(String name, int def) {
        String v = string(name, null);
        if (v == null) {
            return def;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be an integer, got '" + v + "'");
        }
    }

    public double number(String name, double def) {
        String v = string(name, null);
        if (v == null) {
            return def;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number, got '" + v + "'");
        }
    }

    /** A comma-separated list of words (blank entries dropped). */
    public List<String> strings(String name, List<String> def) {
        String v = string(name, null);
        if (v == null) {
            return def;
        }
        return java.util.Arrays.stream(v.split(",")).map(String::trim).filter(w -> !w.isEmpty()).toList();
    }

    public List<Integer> integers(String name, List<Integer> def) {
        String v = string(name, null);
        if (v == null) {
            return def;
        }
        List<Integer> out = new ArrayList<>();
        for (String p : v.split(",")) {
            try {
                out.add(Integer.parseInt(p.trim()));
            } catch (NumberFormatException e) {
                throw new UsageException("--" + name + " must be a comma-separated list of integers, got '" + v + "'");
            }
        }
        return out;
    }

    /** A path that must exist as a readable file. */
    public Path existingFile(String name) {
        Path p = Path.of(string(name));
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new UsageException("--" + name + ": no readable file at " + p);
        }
        return p;
    }

    public Path path(String name) {
        return Path.of(string(name));
    }

    /** Options given but never read by the command: most likely typos. */
    public void rejectUnknown() {
        for (String k : values.keySet()) {
            if (!used.contains(k)) {
                throw new UsageException("unknown option --" + k);
            }
        }
        for (String k : flags) {
            if (!used.contains(k)) {
                throw new UsageException("unknown option --" + k);
            }
        }
    }
}
