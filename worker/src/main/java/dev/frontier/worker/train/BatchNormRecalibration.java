package dev.frontier.worker.train;

import dev.frontier.worker.data.Dataset;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Layer;
import dev.frontier.worker.model.Node;
import dev.frontier.worker.model.Shape;

/**
 * Adaptive batch norm: re-estimates every batch norm's running mean and variance from the pruned
 * network's own activations, with no gradient step. Pruning changes the distribution each BN sees
 * while its statistics still describe the dense network, so a one-shot pruned VGG scores at chance
 * until the statistics are redone (worker/COMPRESSION.md); a forward pass over a few thousand training
 * images fixes that in about a second and makes "before fine-tuning" accuracy informative.
 *
 * <p>The statistics are the exact average over equal batches: batch k is folded in with weight 1/k
 * (cumulative average), not PyTorch's exponential average, so the result does not depend on the
 * initial running values. Masks are untouched (only mean/var change).
 */
public final class BatchNormRecalibration {
    public static final int DEFAULT_IMAGES = 2048;
    static final int BATCH = 128;

    private BatchNormRecalibration() {
    }

    public static boolean hasBatchNorm(Graph g) {
        for (Node n : g.nodes()) {
            if (n.layer() instanceof Layer.BatchNorm) {
                return true;
            }
        }
        return false;
    }

    /**
     * A copy of {@code g} whose BN statistics come from the first {@code images} images of
     * {@code data} in the order of {@code seed} (whole batches of {@value #BATCH}; at least one).
     * Returns {@code g} itself when it has no batch norm.
     */
    public static Graph recalibrate(Graph g, Dataset data, int images, long seed) {
        if (!hasBatchNorm(g) || data.size() == 0) {
            return g;
        }
        Evaluator.checkCompatible(g, data);
        int batch = Math.min(BATCH, data.size());
        int batches = Math.max(1, Math.min(images, data.size()) / batch);
        int[] order = Dataset.permutation(data.size(), seed);
        Shape s = data.inputShape();
        float[] buf = new float[batch * s.size()];
        long[] labels = new long[batch];
        try (DjlModel m = DjlModel.forTraining(g)) {
            for (int k = 1; k <= batches; k++) {
                Batches.fill(data, order, (k - 1) * batch, batch, buf, labels, null);
                m.block().bnMomentum(1f - 1f / k);
                m.forward(buf, batch, true);
            }
            Graph out = m.toGraph();
            // toGraph drops quantized copies (they follow the float weights after training); the weights
            // did not change here, so the compressed state is carried over as it was
            Graph.Builder b = out.toBuilder().metadata("bn.recalibrated", Integer.toString(batches * batch));
            g.quantized().forEach(b::quantized);
            return b.build();
        }
    }
}
