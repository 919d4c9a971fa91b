package dev.frontier.worker.compress;

import java.util.Arrays;

import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Node;
import dev.frontier.worker.model.Tensor;

/** Magnitude pruning: removes the round(rate * n) smallest |w| of the layer. The baseline. */
public final class UnstructuredPruning extends MaskPruning<PruneSpec.Unstructured> {

    @Override
    boolean[] keep(Graph g, Node n, Tensor w, PruneSpec.Unstructured spec) {
        float[] d = w.data();
        double[] mag = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            mag[i] = Math.abs(d[i]);
        }
        boolean[] keep = new boolean[d.length];
        Arrays.fill(keep, true);
        for (int i : smallest(mag, removeCount(spec.rate(), d.length))) {
            keep[i] = false;
        }
        return keep;
    }
}
