package dev.frontier.worker.compress;

import java.util.Arrays;

import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Layer;
import dev.frontier.worker.model.Node;
import dev.frontier.worker.model.Tensor;

/**
 * Removes whole kernels (the kh x kw weights linking one input channel to one output channel), the
 * round(rate * kernels) with the smallest L2 norm.
 */
public final class ConnectivityPruning extends MaskPruning<PruneSpec.Connectivity> {

    @Override
    public String unfitReason(Graph g, Node layer) {
        if (!(layer.layer() instanceof Layer.Conv2d)) {
            return layer.name() + " is a " + layer.layer().op() + " layer; connectivity pruning removes conv kernels";
        }
        return depthwiseReason(layer, "connectivity");
    }

    @Override
    boolean[] keep(Graph g, Node n, Tensor w, PruneSpec.Connectivity spec) {
        return keepKernels(w.data(), kernelSize(n), spec.rate());
    }

    /** Keeps all but the round(rate * kernels) lowest-energy kernels; shared with pattern pruning. */
    static boolean[] keepKernels(float[] w, int kernelSize, double rate) {
        double[] energy = groupEnergy(w, kernelSize);
        boolean[] keep = new boolean[w.length];
        Arrays.fill(keep, true);
        for (int k : smallest(energy, removeCount(rate, energy.length))) {
            Arrays.fill(keep, k * kernelSize, (k + 1) * kernelSize, false);
        }
        return keep;
    }
}
