package dev.frontier.worker.compress;

import dev.frontier.worker.contract.LayerCompressionReport;

/**
 * What compression did to one conv or linear layer. {@code params}/{@code macs} are the dense
 * original's; {@code keptParams}/{@code keptMacs} what is left (pruned weights not counted; biases
 * counted). {@code sparsity} is the fraction of the layer's original weights that are gone.
 */
public record LayerReport(String name, String op, String scheme, String pruning, String quantization,
                          long params, long keptParams, long weights, long keptWeights, long macs, long keptMacs,
                          double sparsity, String note) {

    /** This layer's row of the contract's {@code CompressionReport}. */
    public LayerCompressionReport toContract() {
        return new LayerCompressionReport().name(name).op(op).scheme(scheme).pruning(pruning).quantization(quantization)
                .params(params).keptParams(keptParams).weights(weights).keptWeights(keptWeights).macs(macs).keptMacs(keptMacs)
                .flops(2 * keptMacs).sparsity(sparsity).note(note);
    }
}
