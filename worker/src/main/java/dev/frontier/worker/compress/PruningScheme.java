package dev.frontier.worker.compress;

import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Node;

/**
 * One pruning scheme. {@link #apply} returns a new graph and leaves its input untouched. Mask-based
 * schemes AND their mask with any existing one and zero the pruned weights (the float parameters stay
 * the effective weights); filter pruning instead returns a smaller dense graph.
 */
public interface PruningScheme<S extends PruneSpec> {

    /** Null when the scheme can prune {@code layer} of {@code g}; otherwise why not, in a sentence. */
    String unfitReason(Graph g, Node layer);

    Graph apply(Graph g, Node layer, S spec);

    /** The scheme for a spec (see {@link Schemes}); pattern pruning gets a per-layer library (see {@link PatternPruning}). */
    static <S extends PruneSpec> PruningScheme<S> forSpec(S spec) {
        return Schemes.pruner(spec);
    }
}
