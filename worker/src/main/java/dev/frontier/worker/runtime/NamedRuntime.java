package dev.frontier.worker.runtime;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The part every runtime shares: its name, and a description that starts with the name and this host's target. */
abstract class NamedRuntime implements ModelRuntime {
    private final String name;

    NamedRuntime(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", name);
        d.put("target", System.getProperty("os.arch") + "-" + System.getProperty("os.name").toLowerCase(Locale.ROOT));
        describe(d);
        return d;
    }

    /** Adds what is particular to this runtime (version, compiler, ...); may overwrite the target. */
    abstract void describe(Map<String, Object> description);
}
