package dev.frontier.coordinator.support;

import java.util.Map;

import dev.frontier.coordinator.api.model.CompressionConfig;
import dev.frontier.coordinator.api.model.LayerCompression;
import dev.frontier.coordinator.api.model.PruneSettings;
import dev.frontier.coordinator.api.model.Scheme;
import dev.frontier.coordinator.system.Json;

/** Compression configurations for tests (the contract's type). */
public final class TestConfigs {
    private TestConfigs() {
    }

    /** A configuration as JSON-shaped maps, read as the contract type. */
    public static CompressionConfig of(Map<String, Object> config) {
        return Json.read(Json.write(config), CompressionConfig.class);
    }

    /** A different configuration for each {@code i} (one layer pruned at a rate of its own). */
    public static CompressionConfig distinct(int i) {
        return new CompressionConfig().layers(Map.of("fc" + i, new LayerCompression()
                .prune(new PruneSettings().scheme(Scheme.UNSTRUCTURED).rate(0.5))));
    }

    /** The layers a configuration names (empty for the dense baseline). */
    public static Map<String, LayerCompression> layers(CompressionConfig config) {
        return config == null || config.getLayers() == null ? Map.of() : config.getLayers();
    }
}
