package dev.frontier.worker.data;

/**
 * Pixel normalization {@code x' = (x - mean) / std}, applied to raw pixels in [0, 1], the same for every
 * channel. A trained model only sees normalized input, so the values travel with the dataset and are
 * recorded in the trained model's metadata.
 */
public record Normalization(float mean, float std) {
    public static final Normalization NONE = new Normalization(0f, 1f);

    public Normalization {
        if (!(std > 0) || !Float.isFinite(mean) || !Float.isFinite(std)) {
            throw new IllegalArgumentException("normalization needs a finite mean and a positive std, got mean="
                    + mean + " std=" + std);
        }
    }

    /** Mean and standard deviation over every pixel of {@code raw} (values in [0, 1]). */
    public static Normalization fit(float[] raw) {
        double s = 0;
        double sq = 0;
        for (float v : raw) {
            s += v;
            sq += (double) v * v;
        }
        double mean = s / raw.length;
        double var = Math.max(sq / raw.length - mean * mean, 1e-12);
        return new Normalization((float) mean, (float) Math.sqrt(var));
    }

    public float apply(float raw) {
        return (raw - mean) / std;
    }

    public float invert(float normalized) {
        return normalized * std + mean;
    }

    public boolean isIdentity() {
        return mean == 0f && std == 1f;
    }
}
