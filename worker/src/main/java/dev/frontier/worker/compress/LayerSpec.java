package dev.frontier.worker.compress;

/** What happens to one layer: a pruning scheme (never null; {@link PruneSpec.None} for dense) and an optional quantization. */
public record LayerSpec(PruneSpec prune, QuantSpec quantize) {
    public static final LayerSpec DENSE = new LayerSpec(new PruneSpec.None(), null);

    public LayerSpec {
        if (prune == null) {
            prune = new PruneSpec.None();
        }
    }

    /** True when this spec leaves the layer untouched. */
    public boolean isIdentity() {
        return prune instanceof PruneSpec.None && quantize == null;
    }
}
