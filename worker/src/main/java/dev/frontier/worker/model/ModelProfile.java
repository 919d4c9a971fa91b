package dev.frontier.worker.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the coordinator needs to know about a model to build a search space: its layers with shapes,
 * parameter counts, MACs and the pruning schemes that make sense for each (docs/contracts.md).
 */
public final class ModelProfile {
    private ModelProfile() {
    }

    public static Map<String, Object> of(Graph g) {
        List<Map<String, Object>> layers = new ArrayList<>();
        Node last = g.weightedNodes().isEmpty() ? null : g.weightedNodes().get(g.weightedNodes().size() - 1);
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
            l.put("prunable", schemes(n, n == last));
            layers.add(l);
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("inputShape", g.inputShape().toArray());
        p.put("outputShape", g.shape(g.output().name()).toArray());
        p.put("params", g.paramCount());
        p.put("macs", g.totalMacs());
        p.put("layers", layers);
        p.put("metadata", g.metadata());
        return p;
    }

    /**
     * Schemes that fit a layer. The last weighted layer produces the class scores, so it cannot lose
     * output channels; depthwise convs have one kernel per channel, so only magnitude pruning fits.
     */
    public static List<String> schemes(Node n, boolean isOutput) {
        List<String> s = new ArrayList<>();
        if (n.layer() instanceof Layer.Conv2d c) {
            if (c.isDepthwise()) {
                s.add("unstructured");
            } else {
                if (c.is3x3()) {
                    s.add("pattern");
                }
                s.add("connectivity");
                s.add("block");
                if (!isOutput) {
                    s.add("filter");
                }
                s.add("unstructured");
            }
        } else if (n.layer() instanceof Layer.Linear) {
            s.add("block");
            if (!isOutput) {
                s.add("filter");
            }
            s.add("unstructured");
        }
        return s;
    }
}
