package dev.frontier.coordinator.search;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.frontier.coordinator.api.model.CompressionConfig;
import dev.frontier.coordinator.api.model.LayerCompression;
import dev.frontier.coordinator.api.model.PruneSettings;
import dev.frontier.coordinator.api.model.QuantScheme;
import dev.frontier.coordinator.api.model.QuantizeSettings;
import dev.frontier.coordinator.api.model.Scheme;

/**
 * The compression configurations a search writes (the contract's {@code CompressionConfig}): one
 * pruning setting per searched layer and one model-wide quantization. Every strategy writes them
 * here, so equal choices give equal configurations (which is how a strategy sees it already tried one).
 */
public final class Configs {
    private Configs() {
    }

    /** The dense baseline: nothing pruned, nothing quantized. */
    public static boolean isDense(CompressionConfig config) {
        return config == null || (config.getDefault() == null && (config.getLayers() == null || config.getLayers().isEmpty()));
    }

    /** Layers pruned as given, every layer quantized to {@code bits} (0 = float32). */
    public static CompressionConfig of(Map<String, PruneSettings> prune, int bits) {
        CompressionConfig config = new CompressionConfig();
        if (bits > 0) {
            config._default(new LayerCompression().quantize(new QuantizeSettings()
                    .bits(QuantizeSettings.BitsEnum.fromValue(bits)).scheme(QuantScheme.SYMMETRIC)));
        }
        Map<String, LayerCompression> layers = new LinkedHashMap<>();
        prune.forEach((layer, p) -> layers.put(layer, new LayerCompression().prune(p)));
        return config.layers(layers);
    }

    /** One option of a layer; null for {@code none} (the layer is left out). */
    static PruneSettings prune(String scheme, double rate, int patterns, double connectivity, List<Integer> block) {
        PruneSettings p = new PruneSettings().scheme(Scheme.fromValue(scheme));
        return switch (scheme) {
            case "none" -> null;
            case "pattern" -> p.patterns(patterns).connectivity(connectivity > 0 ? connectivity : null);
            case "block" -> p.rate(rate).block(List.copyOf(block));
            default -> p.rate(rate);
        };
    }

    /** The model-wide quantization bits of a configuration; 0 = float32. */
    static int bits(CompressionConfig config) {
        if (config == null || config.getDefault() == null || config.getDefault().getQuantize() == null
                || config.getDefault().getQuantize().getBits() == null) return 0;
        return config.getDefault().getQuantize().getBits().getValue();
    }
}
