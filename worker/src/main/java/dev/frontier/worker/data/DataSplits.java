package dev.frontier.worker.data;

import java.util.Locale;

/**
 * A dataset's three splits. Validation is carved from the original training data (never from test),
 * so model selection does not peek at the test split that accuracy figures are reported on.
 */
public record DataSplits(String name, Dataset train, Dataset validation, Dataset test) {

    /** {@code train}, {@code validation} (or {@code val}), {@code test}. */
    public Dataset split(String split) {
        return switch (split.toLowerCase(Locale.ROOT)) {
            case "train" -> train;
            case "validation", "val" -> validation;
            case "test" -> test;
            default -> throw new IllegalArgumentException("unknown split '" + split
                    + "'; use train, validation or test");
        };
    }

    /**
     * The same data with the validation split carved anew: {@code fraction} of all labelled training
     * images (train + the dataset's own validation), chosen by {@code seed}; the rest is the training
     * split. Test is untouched. A job that names a fraction gets the same split on every worker.
     */
    public DataSplits carveValidation(double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + fraction);
        }
        Dataset all = Dataset.concat(train, validation);
        int n = (int) Math.round(fraction * all.size());
        if (n < 1 || n >= all.size()) {
            throw new IllegalArgumentException("validation fraction " + fraction + " of " + all.size()
                    + " images leaves an empty split");
        }
        int[] order = Dataset.permutation(all.size(), seed);
        int[] val = java.util.Arrays.copyOfRange(order, 0, n);
        int[] rest = java.util.Arrays.copyOfRange(order, n, order.length);
        // ascending indices keep the training order stable whatever the seed chose
        java.util.Arrays.sort(val);
        java.util.Arrays.sort(rest);
        return new DataSplits(name, all.select(rest), all.select(val), test);
    }

    public Normalization normalization() {
        return train.normalization();
    }
}
