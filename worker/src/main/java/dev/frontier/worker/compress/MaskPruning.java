package dev.frontier.worker.compress;

import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Layer;
import dev.frontier.worker.model.Mask;
import dev.frontier.worker.model.Node;
import dev.frontier.worker.model.Tensor;

/**
 * Shared tail of the schemes that prune by masking: AND the new mask with the existing one, zero the
 * weights, and drop a stale quantized copy (the caller re-quantizes after pruning).
 */
abstract class MaskPruning<S extends PruneSpec> implements PruningScheme<S> {

    /** Which weights of {@code n} to keep, given the current effective weights {@code w}. */
    abstract boolean[] keep(Graph g, Node n, Tensor w, S spec);

    @Override
    public String unfitReason(Graph g, Node layer) {
        if (!(layer.layer() instanceof Layer.Conv2d) && !(layer.layer() instanceof Layer.Linear)) {
            return layer.name() + " is a " + layer.layer().op() + " layer, which has no weights to prune";
        }
        return null;
    }

    /**
     * Structured schemes skip depthwise convs: with one kernel per channel, removing kernels removes
     * channels and patterns save almost nothing (ModelProfile offers only unstructured there too).
     */
    static String depthwiseReason(Node layer, String scheme) {
        if (layer.layer() instanceof Layer.Conv2d c && c.isDepthwise()) {
            return layer.name() + " is a depthwise convolution (one kernel per channel); " + scheme
                    + " pruning does not fit it, use unstructured";
        }
        return null;
    }

    @Override
    public Graph apply(Graph g, Node n, S spec) {
        String reason = unfitReason(g, n);
        if (reason != null) {
            throw new InvalidConfigException(spec.scheme() + " cannot prune " + n.name() + ": " + reason);
        }
        Tensor w = g.param(n.weightName());
        return withMask(g, n.weightName(), keep(g, n, w, spec));
    }

    static Graph withMask(Graph g, String param, boolean[] keep) {
        Tensor w = g.param(param);
        Mask m = new Mask(w.shape(), keep);
        Mask old = g.mask(param);
        if (old != null) {
            m = m.and(old);
        }
        Tensor pruned = w.copy();
        m.applyTo(pruned);
        return g.toBuilder().param(param, pruned).mask(param, m).quantized(param, null).build();
    }

    /** Conv weights as kernels: [kernels = out * in/groups][kh*kw]. */
    static int kernelSize(Node n) {
        Layer.Conv2d c = (Layer.Conv2d) n.layer();
        return c.kernelH() * c.kernelW();
    }

    /** Sum of squares of each consecutive run of {@code len} values. */
    static double[] groupEnergy(float[] d, int len) {
        double[] e = new double[d.length / len];
        for (int k = 0; k < e.length; k++) {
            double s = 0;
            for (int i = 0; i < len; i++) {
                float v = d[k * len + i];
                s += (double) v * v;
            }
            e[k] = s;
        }
        return e;
    }

    /**
     * Indices of the {@code count} smallest scores; ties go to the lower index, so results are
     * deterministic.
     */
    static int[] smallest(double[] scores, int count) {
        Integer[] idx = new Integer[scores.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> {
            int c = Double.compare(scores[a], scores[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] out = new int[Math.min(count, idx.length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    /** round(rate * n), the number of units a rate removes (half rounds up, as Math.round). */
    static int removeCount(double rate, int n) {
        return (int) Math.min(n, Math.max(0, Math.round(rate * n)));
    }
}
