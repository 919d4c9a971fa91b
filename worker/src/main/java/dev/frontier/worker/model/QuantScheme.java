package dev.frontier.worker.model;

/** How a weight row is mapped to integers. */
public enum QuantScheme {
    /** Fixed-point: value = q * scale[row], q symmetric around 0. */
    SYMMETRIC,
    /** value = sign(q) * scale[row] * 2^-(|q|-1): multiplications become shifts on hardware that has them. */
    POWER_OF_TWO,
    /** Each row picks fixed-point or power-of-two, whichever reconstructs it with less error. */
    MIXED;

    public static QuantScheme parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT).replace('_', '-')) {
            case "symmetric", "fixed-point", "fixed" -> SYMMETRIC;
            case "power-of-two", "pow2", "po2" -> POWER_OF_TWO;
            case "mixed" -> MIXED;
            default -> throw new IllegalArgumentException("unknown quantization scheme '" + s
                    + "' (expected symmetric, power-of-two or mixed)");
        };
    }

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
