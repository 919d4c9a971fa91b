package dev.frontier.coordinator.search;

/**
 * The features the surrogate's additive models see for a genome: an intercept, a low-fidelity flag,
 * one indicator per (gene, option), and per (layer, scheme) an indicator and the log of the
 * option's estimated weight reduction. The one-hot part can fit any per-layer effect; the
 * per-scheme part lets one measured rate of a scheme on a layer say something about its other
 * rates there, which matters when the space is far larger than the budget.
 */
final class GeneFeatures {
    private final Encoding enc;
    private final int[] oneHotStart;
    /** Per layer and option: index of its (layer, scheme) indicator, or -1 for the dense option. */
    private final int[][] schemeIndex;
    private final int size;

    GeneFeatures(Encoding enc) {
        this.enc = enc;
        int next = 2; // 0 = intercept, 1 = low fidelity
        oneHotStart = new int[enc.genes()];
        for (int g = 0; g < enc.genes(); g++) {
            oneHotStart[g] = next;
            next += enc.arity(g);
        }
        schemeIndex = new int[enc.genes() - 1][];
        for (int layer = 0; layer < enc.genes() - 1; layer++) {
            int[] scheme = enc.schemeIndices(layer);
            int schemes = java.util.Arrays.stream(scheme).max().orElse(-1) + 1;
            schemeIndex[layer] = new int[scheme.length];
            for (int o = 0; o < scheme.length; o++) schemeIndex[layer][o] = scheme[o] < 0 ? -1 : next + 2 * scheme[o]; // indicator, log reduction
            next += 2 * schemes;
        }
        this.size = next;
    }

    int size() {
        return size;
    }

    double[] of(int[] genome, boolean lowFidelity) {
        double[] x = new double[size];
        x[0] = 1;
        x[1] = lowFidelity ? 1 : 0;
        for (int g = 0; g < genome.length; g++) x[oneHotStart[g] + genome[g]] = 1;
        for (int layer = 0; layer < schemeIndex.length; layer++) {
            int at = schemeIndex[layer][genome[layer]];
            if (at < 0) continue;
            x[at] = 1;
            x[at + 1] = Math.log(enc.options(layer).get(genome[layer]).reduction());
        }
        return x;
    }
}
