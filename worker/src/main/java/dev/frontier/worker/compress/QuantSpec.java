package dev.frontier.worker.compress;

import dev.frontier.worker.model.QuantScheme;

/** Weight quantization of one layer: 8 or 4 bits, one scale per output channel. */
public record QuantSpec(int bits, QuantScheme scheme) {
    public QuantSpec {
        if (bits != 8 && bits != 4) {
            throw new InvalidConfigException("quantize: 'bits' must be 8 or 4, got " + bits);
        }
        if (scheme == null) {
            throw new InvalidConfigException("quantize: 'scheme' is required");
        }
    }

    public String describe() {
        return "int" + bits + " " + scheme.wireName();
    }

    /** Metadata form, read back by {@link #parseMetadata}. */
    String toMetadata() {
        return bits + ":" + scheme.wireName();
    }

    static QuantSpec parseMetadata(String s) {
        String[] p = s.split(":");
        return new QuantSpec(Integer.parseInt(p[0]), QuantScheme.parse(p[1]));
    }
}
