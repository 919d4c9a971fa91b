package dev.frontier.worker.profile;

import dev.frontier.worker.compress.Schemes;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Layer;
import dev.frontier.worker.model.Node;
import dev.frontier.worker.model.Shape;
import dev.frontier.worker.model.Tensor;

import dev.frontier.worker.contract.ProfileLayer;

import java.util.ArrayList;
import java.util.Arrays;
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

    public static dev.frontier.worker.contract.ModelProfile of(Graph g) {
        List<ProfileLayer> layers = new ArrayList<>();
        for (Node n : g.nodes()) {
            ProfileLayer l = new ProfileLayer().name(n.name()).op(n.layer().op());
            List<Shape> in = g.inputShapes(n);
            l.inputShape(in.isEmpty() ? null : ints(in.get(0).toArray()));
            l.outputShape(ints(g.shape(n.name()).toArray()));
            Tensor w = g.params().get(n.weightName());
            if (w != null) {
                l.weightShape(ints(w.shape()));
            }
            if (n.layer() instanceof Layer.Conv2d c) {
                l.kernel(List.of(c.kernelH(), c.kernelW())).stride(c.stride()).groups(c.groups());
            }
            long params = 0;
            for (String suffix : n.layer().paramShapes().keySet()) {
                params += g.param(n.param(suffix)).size();
            }
            l.params(params).macs(g.macs(n));
            Map<String, String> unfit = Schemes.unfit(g, n);
            l.prunable(new ArrayList<>(Schemes.fitting(unfit)));
            if (w != null) {
                Map<String, String> why = new LinkedHashMap<>();
                unfit.forEach((scheme, reason) -> {
                    if (reason != null) {
                        why.put(scheme, reason);
                    }
                });
                l.unfit(why);
            }
            layers.add(l);
        }
        return new dev.frontier.worker.contract.ModelProfile()
                .inputShape(ints(g.inputShape().toArray()))
                .outputShape(ints(g.shape(g.output().name()).toArray()))
                .params(g.paramCount())
                .macs(g.totalMacs())
                .layers(layers)
                .schemes(Schemes.advertised())
                .metadata(new LinkedHashMap<>(g.metadata()));
    }

    private static List<Integer> ints(int[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
