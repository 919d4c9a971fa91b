package dev.frontier.worker.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network: nodes in topological order (the last node is the output), float parameters by name,
 * and the compression state: pruning masks and integer weights, keyed by parameter name.
 *
 * <p>The float parameters always hold the effective weights (masked, and dequantized where a
 * quantized copy exists), so every consumer computes the same function whether or not it understands
 * masks or integers. Masks and quantized tensors tell the compiler what it may exploit.
 */
public final class Graph {
    private final List<Node> nodes;
    private final Map<String, Node> byName;
    private final Map<String, Tensor> params;
    private final Map<String, Mask> masks;
    private final Map<String, QuantizedTensor> quantized;
    private final Map<String, String> metadata;
    private final Map<String, Shape> shapes;

    public Graph(List<Node> nodes, Map<String, Tensor> params, Map<String, Mask> masks,
                 Map<String, QuantizedTensor> quantized, Map<String, String> metadata) {
        this.nodes = List.copyOf(nodes);
        this.byName = new LinkedHashMap<>();
        for (Node n : this.nodes) {
            for (String in : n.inputs()) {
                if (!byName.containsKey(in)) {
                    throw new IllegalArgumentException("node " + n.name() + " reads '" + in
                            + "', which is not defined before it");
                }
            }
            if (byName.put(n.name(), n) != null) {
                throw new IllegalArgumentException("duplicate node name " + n.name());
            }
        }
        if (this.nodes.isEmpty() || !(this.nodes.get(0).layer() instanceof Layer.Input)) {
            throw new IllegalArgumentException("a graph starts with exactly one input node");
        }
        this.params = new LinkedHashMap<>(params);
        this.masks = new LinkedHashMap<>(masks);
        this.quantized = new LinkedHashMap<>(quantized);
        this.metadata = new LinkedHashMap<>(metadata);
        this.shapes = inferShapes();
        checkParams();
    }

    public Graph(List<Node> nodes, Map<String, Tensor> params) {
        this(nodes, params, Map.of(), Map.of(), Map.of());
    }

    private Map<String, Shape> inferShapes() {
        Map<String, Shape> s = new LinkedHashMap<>();
        for (Node n : nodes) {
            List<Shape> in = new ArrayList<>();
            for (String i : n.inputs()) {
                in.add(s.get(i));
            }
            if (n.layer() instanceof Layer.Input && n != nodes.get(0)) {
                throw new IllegalArgumentException("only the first node may be an input: " + n.name());
            }
            try {
                s.put(n.name(), n.layer().outputShape(in));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("node " + n.name() + ": " + e.getMessage(), e);
            }
        }
        return Collections.unmodifiableMap(s);
    }

    private void checkParams() {
        for (Node n : nodes) {
            for (Map.Entry<String, int[]> p : n.layer().paramShapes().entrySet()) {
                String name = n.param(p.getKey());
                Tensor t = params.get(name);
                if (t == null) {
                    throw new IllegalArgumentException("missing parameter " + name);
                }
                if (!java.util.Arrays.equals(t.shape(), p.getValue())) {
                    throw new IllegalArgumentException("parameter " + name + " has shape "
                            + java.util.Arrays.toString(t.shape()) + ", expected " + java.util.Arrays.toString(p.getValue()));
                }
            }
        }
        for (Map.Entry<String, Mask> m : masks.entrySet()) {
            Tensor t = params.get(m.getKey());
            if (t == null || t.size() != m.getValue().size()) {
                throw new IllegalArgumentException("mask " + m.getKey() + " does not match a parameter");
            }
        }
        for (Map.Entry<String, QuantizedTensor> q : quantized.entrySet()) {
            Tensor t = params.get(q.getKey());
            if (t == null || !java.util.Arrays.equals(t.shape(), q.getValue().shape())) {
                throw new IllegalArgumentException("quantized tensor " + q.getKey() + " does not match a parameter");
            }
        }
    }

    public List<Node> nodes() {
        return nodes;
    }

    public Node node(String name) {
        Node n = byName.get(name);
        if (n == null) {
            throw new IllegalArgumentException("no layer named '" + name + "'; layers: " + byName.keySet());
        }
        return n;
    }

    public boolean hasNode(String name) {
        return byName.containsKey(name);
    }

    public Node input() {
        return nodes.get(0);
    }

    public Node output() {
        return nodes.get(nodes.size() - 1);
    }

    public Shape inputShape() {
        return shapes.get(input().name());
    }

    public Shape shape(String node) {
        Shape s = shapes.get(node);
        if (s == null) {
            throw new IllegalArgumentException("no layer named '" + node + "'");
        }
        return s;
    }

    public Map<String, Shape> shapes() {
        return shapes;
    }

    public List<Shape> inputShapes(Node n) {
        List<Shape> in = new ArrayList<>();
        for (String i : n.inputs()) {
            in.add(shapes.get(i));
        }
        return in;
    }

    /** Nodes that read {@code name}'s output. */
    public List<Node> consumers(String name) {
        List<Node> out = new ArrayList<>();
        for (Node n : nodes) {
            if (n.inputs().contains(name)) {
                out.add(n);
            }
        }
        return out;
    }

    public Map<String, Tensor> params() {
        return Collections.unmodifiableMap(params);
    }

    public Tensor param(String name) {
        Tensor t = params.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return t;
    }

    public Map<String, Mask> masks() {
        return Collections.unmodifiableMap(masks);
    }

    public Mask mask(String param) {
        return masks.get(param);
    }

    public Map<String, QuantizedTensor> quantized() {
        return Collections.unmodifiableMap(quantized);
    }

    public QuantizedTensor quantized(String param) {
        return quantized.get(param);
    }

    /**
     * Metadata key prefix (+ layer name) of a layer's calibrated int8 input scale: written by the
     * activation calibrator, read by the compiler's int8 pass, so it belongs to the IR both speak.
     */
    public static final String ACTIVATION_SCALE_KEY = "act_scale.";

    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    public long macs(Node n) {
        return n.layer().macs(inputShapes(n), shapes.get(n.name()));
    }

    /** Multiply-accumulates that remain once pruned weights are skipped. */
    public long keptMacs(Node n) {
        long dense = macs(n);
        Mask m = masks.get(n.weightName());
        if (m == null || dense == 0) {
            return dense;
        }
        return Math.round((double) dense * m.keptCount() / m.size());
    }

    public long totalMacs() {
        return nodes.stream().mapToLong(this::macs).sum();
    }

    public long totalKeptMacs() {
        return nodes.stream().mapToLong(this::keptMacs).sum();
    }

    public long paramCount() {
        return params.values().stream().mapToLong(Tensor::size).sum();
    }

    /** Parameters left after pruning (masked-out weights not counted). */
    public long keptParamCount() {
        long n = 0;
        for (Map.Entry<String, Tensor> p : params.entrySet()) {
            Mask m = masks.get(p.getKey());
            n += m == null ? p.getValue().size() : m.keptCount();
        }
        return n;
    }

    /** Layers that own a weight matrix and can be pruned or quantized (conv and linear). */
    public List<Node> weightedNodes() {
        List<Node> out = new ArrayList<>();
        for (Node n : nodes) {
            if (n.layer() instanceof Layer.Conv2d || n.layer() instanceof Layer.Linear) {
                out.add(n);
            }
        }
        return out;
    }

    /** A deep copy that can be compressed without touching this graph. */
    public Graph copy() {
        Map<String, Tensor> p = new LinkedHashMap<>();
        params.forEach((k, v) -> p.put(k, v.copy()));
        Map<String, Mask> m = new LinkedHashMap<>();
        masks.forEach((k, v) -> m.put(k, v.copy()));
        return new Graph(nodes, p, m, quantized, metadata);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Edits that produce a new graph (compression schemes and passes use this; graphs stay valid). */
    public static final class Builder {
        private final List<Node> nodes;
        private final Map<String, Tensor> params;
        private final Map<String, Mask> masks;
        private final Map<String, QuantizedTensor> quantized;
        private final Map<String, String> metadata;

        private Builder(Graph g) {
            this.nodes = new ArrayList<>(g.nodes);
            this.params = new LinkedHashMap<>(g.params);
            this.masks = new LinkedHashMap<>(g.masks);
            this.quantized = new LinkedHashMap<>(g.quantized);
            this.metadata = new LinkedHashMap<>(g.metadata);
        }

        public Builder replaceNode(Node n) {
            for (int i = 0; i < nodes.size(); i++) {
                if (nodes.get(i).name().equals(n.name())) {
                    nodes.set(i, n);
                    return this;
                }
            }
            throw new IllegalArgumentException("no layer named " + n.name());
        }

        public Builder nodes(List<Node> newNodes) {
            nodes.clear();
            nodes.addAll(newNodes);
            return this;
        }

        public Builder param(String name, Tensor t) {
            params.put(name, t);
            return this;
        }

        public Builder removeParam(String name) {
            params.remove(name);
            masks.remove(name);
            quantized.remove(name);
            return this;
        }

        public Builder mask(String name, Mask m) {
            if (m == null) {
                masks.remove(name);
            } else {
                masks.put(name, m);
            }
            return this;
        }

        public Builder quantized(String name, QuantizedTensor q) {
            if (q == null) {
                quantized.remove(name);
            } else {
                quantized.put(name, q);
            }
            return this;
        }

        public Builder metadata(String key, String value) {
            metadata.put(key, value);
            return this;
        }

        public Graph build() {
            return new Graph(nodes, params, masks, quantized, metadata);
        }
    }
}
