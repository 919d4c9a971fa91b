package dev.frontier.worker.compress;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What compression did to one conv or linear layer. {@code params}/{@code macs} are the dense
 * original's; {@code keptParams}/{@code keptMacs} what is left (pruned weights not counted; biases
 * counted). {@code sparsity} is the fraction of the layer's original weights that are gone.
 */
public record LayerReport(String name, String op, String scheme, String pruning, String quantization,
                          long params, long keptParams, long weights, long keptWeights, long macs, long keptMacs,
                          double sparsity, String note) {

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("op", op);
        m.put("scheme", scheme);
        m.put("pruning", pruning);
        m.put("quantization", quantization);
        m.put("params", params);
        m.put("keptParams", keptParams);
        m.put("weights", weights);
        m.put("keptWeights", keptWeights);
        m.put("macs", macs);
        m.put("keptMacs", keptMacs);
        m.put("flops", 2 * keptMacs);
        m.put("sparsity", sparsity);
        if (note != null) {
            m.put("note", note);
        }
        return m;
    }
}
