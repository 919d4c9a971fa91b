package dev.frontier.worker.profile;

import dev.frontier.worker.compress.Schemes;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Layer;
import dev.frontier.worker.model.Node;
import dev.frontier.worker.model.Shape;
import dev.frontier.worker.model.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the coordinator needs to know about a model to build a search space: its layers with shapes,
 * parameter counts, MACs and the pruning schemes that fit each, as the pruners themselves decide
 * ({@link Schemes}: the coordinator derives its search space from these lists), plus the scheme
 * registry itself (names, parameters, search values) and, for each weighted layer, why the other
 * schemes do not fit (docs/contracts.md).
 */
public final class ModelProfile {
    private ModelProfile() {
    }

    public static Map<String, Object> of(Graph g) {
        List<Map<String, Object>> layers = new ArrayList<>();
        for (Node n : g.nodes()) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("name", n.name());
            l.put("op", n.layer().op());
            List<Shape> in = g.inputShapes(n);
            l.put("inputShape", in.isEmpty() ? null : in.get(0).toArray());
            l.put("outputShape", g.shape(n.name()).toArray());
            Tensor w = g.params().get(n.weightName());
            if (w != null) {
                l.put("weightShape", w.shape());
            }
            if (n.layer() instanceof Layer.Conv2d c) {
                l.put("kernel", new int[] {c.kernelH(), c.kernelW()});
                l.put("stride", c.stride());
                l.put("groups", c.groups());
            }
            long params = 0;
            for (String suffix : n.layer().paramShapes().keySet()) {
                params += g.param(n.param(suffix)).size();
            }
            l.put("params", params);
            l.put("macs", g.macs(n));
            Map<String, String> unfit = Schemes.unfit(g, n);
            l.put("prunable", Schemes.fitting(unfit));
            if (w != null) {
                Map<String, String> why = new LinkedHashMap<>();
                unfit.forEach((scheme, reason) -> {
                    if (reason != null) {
                        why.put(scheme, reason);
                    }
                });
                l.put("unfit", why);
            }
            layers.add(l);
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("inputShape", g.inputShape().toArray());
        p.put("outputShape", g.shape(g.output().name()).toArray());
        p.put("params", g.paramCount());
        p.put("macs", g.totalMacs());
        p.put("layers", layers);
        p.put("schemes", Schemes.advertised());
        p.put("metadata", g.metadata());
        return p;
    }
}
