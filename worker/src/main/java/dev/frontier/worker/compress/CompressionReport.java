package dev.frontier.worker.compress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Layer;
import dev.frontier.worker.model.Mask;
import dev.frontier.worker.model.Node;
import dev.frontier.worker.model.QuantizedTensor;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Per-layer and whole-model effect of a compression. Totals: {@code params}/{@code macs} of the
 * dense original, {@code keptParams}/{@code keptMacs} of the result, {@code sparsity} = fraction of the
 * original conv/linear weights removed.
 */
public record CompressionReport(List<LayerReport> layers, long params, long keptParams, long macs, long keptMacs,
                                double sparsity, List<String> notes) {
    private static final JsonMapper JSON = JsonMapper.builder()
            .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_NULL)).build();

    public CompressionReport {
        layers = List.copyOf(layers);
        notes = List.copyOf(notes);
    }

    /** Compares a compressed graph with the original it came from (layer names are shared). */
    public static CompressionReport of(Graph original, Graph compressed, Map<String, String> notes) {
        List<LayerReport> out = new ArrayList<>();
        long weights = 0;
        long keptWeights = 0;
        for (Node n : original.weightedNodes()) {
            Node c = compressed.node(n.name());
            long w = original.param(n.weightName()).size();
            Mask m = compressed.mask(c.weightName());
            long kw = m == null ? compressed.param(c.weightName()).size() : m.keptCount();
            long bias = original.params().containsKey(n.param("bias")) ? original.param(n.param("bias")).size() : 0;
            long keptBias = compressed.params().containsKey(c.param("bias")) ? compressed.param(c.param("bias")).size() : 0;
            String prune = compressed.metadata().getOrDefault(Compressor.PRUNE_KEY + n.name(), "none");
            QuantizedTensor q = compressed.quantized(c.weightName());
            String quant = q == null ? "float32" : "int" + q.bits() + " " + q.scheme().wireName();
            String scheme = prune.contains("(") ? prune.substring(0, prune.indexOf('(')) : prune;
            out.add(new LayerReport(n.name(), n.layer().op() + kernel(n.layer()), scheme, prune, quant, w + bias,
                    kw + keptBias, w, kw, original.macs(n), compressed.keptMacs(c), w == 0 ? 0 : 1 - (double) kw / w,
                    notes.get(n.name())));
            weights += w;
            keptWeights += kw;
        }
        List<String> ns = new ArrayList<>();
        notes.forEach((k, v) -> ns.add(k + ": " + v));
        return new CompressionReport(out, original.paramCount(), compressed.keptParamCount(), original.totalMacs(),
                compressed.totalKeptMacs(), weights == 0 ? 0 : 1 - (double) keptWeights / weights, ns);
    }

    private static String kernel(Layer l) {
        return l instanceof Layer.Conv2d c ? " " + c.kernelH() + "x" + c.kernelW() + (c.isDepthwise() ? " dw" : "") : "";
    }

    public LayerReport layer(String name) {
        return layers.stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no layer " + name + " in the report"));
    }

    /** The report as build metrics carry it (the contract's {@code CompressionReport}). */
    public dev.frontier.worker.contract.CompressionReport toContract() {
        return new dev.frontier.worker.contract.CompressionReport().params(params).keptParams(keptParams).macs(macs)
                .keptMacs(keptMacs).flops(2 * keptMacs).sparsity(sparsity)
                .layers(layers.stream().map(LayerReport::toContract).toList()).notes(notes);
    }

    /** {@link #toContract()} as a plain map, for the CLI's JSON report. */
    public Map<String, Object> toMap() {
        return JSON.convertValue(toContract(), new TypeReference<LinkedHashMap<String, Object>>() {
        });
    }
}
