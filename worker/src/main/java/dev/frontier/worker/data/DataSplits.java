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

    public Normalization normalization() {
        return train.normalization();
    }
}
