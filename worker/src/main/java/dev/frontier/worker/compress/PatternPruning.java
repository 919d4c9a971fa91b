package dev.frontier.worker.compress;

import java.util.List;

import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Layer;
import dev.frontier.worker.model.Node;
import dev.frontier.worker.model.Tensor;

/**
 * Pattern pruning of a 3x3 convolution: each kernel is projected onto the library pattern that
 * keeps the most of its energy (4 of 9 weights, centre included), then, if the spec asks,
 * connectivity pruning removes the weakest whole kernels of the projected weights. The library is
 * given (chosen across the model by {@link Compressor}) or, when null, chosen from this layer alone.
 * The library used is recorded in the graph metadata under {@code pattern.library.<layer>}.
 */
public final class PatternPruning extends MaskPruning<PruneSpec.Pattern> {
    public static final String LIBRARY_KEY = "pattern.library.";
    private final PatternLibrary library;

    public PatternPruning(PatternLibrary library) {
        this.library = library;
    }

    @Override
    public String unfitReason(Graph g, Node layer) {
        if (!(layer.layer() instanceof Layer.Conv2d c) || !c.is3x3()) {
            String what = layer.layer() instanceof Layer.Conv2d c2
                    ? "a " + c2.kernelH() + "x" + c2.kernelW() + " convolution"
                    : "a " + layer.layer().op() + " layer";
            return layer.name() + " is " + what + "; pattern pruning needs a 3x3 convolution";
        }
        return depthwiseReason(layer, "pattern");
    }

    @Override
    public Graph apply(Graph g, Node n, PruneSpec.Pattern spec) {
        String reason = unfitReason(g, n);
        if (reason != null) {
            throw new InvalidConfigException("pattern cannot prune " + n.name() + ": " + reason);
        }
        Tensor w = g.param(n.weightName());
        PatternLibrary lib = library(w, spec);
        Graph out = withMask(g, n.weightName(), keep(lib, w, spec));
        return out.toBuilder().metadata(LIBRARY_KEY + n.name(), lib.encode()).build();
    }

    private PatternLibrary library(Tensor w, PruneSpec.Pattern spec) {
        return library != null ? library.first(spec.patterns()) : PatternLibrary.select(List.of(w.data()), spec.patterns());
    }

    @Override
    boolean[] keep(Graph g, Node n, Tensor w, PruneSpec.Pattern spec) {
        return keep(library(w, spec), w, spec);
    }

    private static boolean[] keep(PatternLibrary lib, Tensor w, PruneSpec.Pattern spec) {
        float[] d = w.data();
        boolean[] keep = new boolean[d.length];
        float[] projected = new float[d.length];
        for (int off = 0; off < d.length; off += PatternLibrary.KERNEL) {
            int p = lib.project(d, off);
            for (int i = 0; i < PatternLibrary.KERNEL; i++) {
                if ((p & (1 << i)) != 0) {
                    keep[off + i] = true;
                    projected[off + i] = d[off + i];
                }
            }
        }
        if (spec.connectivity() > 0) {
            boolean[] kernels = ConnectivityPruning.keepKernels(projected, PatternLibrary.KERNEL, spec.connectivity());
            for (int i = 0; i < keep.length; i++) {
                keep[i] &= kernels[i];
            }
        }
        return keep;
    }
}
