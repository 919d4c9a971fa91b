package dev.frontier.worker.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Builds a graph layer by layer, with freshly initialised weights (He-normal for conv and linear,
 * identity batch norm), deterministic for a given seed. Each call appends after the current node.
 */
public final class NetworkBuilder {
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Shape> shapes = new LinkedHashMap<>();
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final Random random;
    private String current;

    public NetworkBuilder(long seed, int channels, int height, int width) {
        this.random = new Random(seed);
        add("input", new Layer.Input(channels, height, width), List.of());
    }

    public String current() {
        return current;
    }

    public Shape currentShape() {
        return shapes.get(current);
    }

    public NetworkBuilder metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    public NetworkBuilder conv(String name, int out, int kernel, int stride, int padding) {
        return conv(name, out, kernel, stride, padding, 1);
    }

    public NetworkBuilder conv(String name, int out, int kernel, int stride, int padding, int groups) {
        int in = currentShape().c();
        return add(name, new Layer.Conv2d(in, out, kernel, kernel, stride, padding, groups, true), List.of(current));
    }

    public NetworkBuilder depthwise(String name, int kernel, int stride, int padding) {
        int c = currentShape().c();
        return conv(name, c, kernel, stride, padding, c);
    }

    public NetworkBuilder linear(String name, int out) {
        return add(name, new Layer.Linear(currentShape().c(), out, true), List.of(current));
    }

    public NetworkBuilder batchNorm(String name) {
        return add(name, new Layer.BatchNorm(currentShape().c(), 1e-5f), List.of(current));
    }

    public NetworkBuilder relu(String name) {
        return add(name, new Layer.Relu(), List.of(current));
    }

    public NetworkBuilder relu6(String name) {
        return add(name, new Layer.Relu6(), List.of(current));
    }

    public NetworkBuilder maxPool(String name, int kernel, int stride) {
        return add(name, new Layer.MaxPool(kernel, stride, 0), List.of(current));
    }

    public NetworkBuilder avgPool(String name, int kernel, int stride) {
        return add(name, new Layer.AvgPool(kernel, stride, 0), List.of(current));
    }

    public NetworkBuilder globalAvgPool(String name) {
        return add(name, new Layer.GlobalAvgPool(), List.of(current));
    }

    public NetworkBuilder flatten(String name) {
        return add(name, new Layer.Flatten(), List.of(current));
    }

    public NetworkBuilder softmax(String name) {
        return add(name, new Layer.Softmax(), List.of(current));
    }

    /** Adds the current node and {@code other}; the sum becomes current. */
    public NetworkBuilder add(String name, String other) {
        return add(name, new Layer.Add(), List.of(current, other));
    }

    /** Continues from an earlier node (to start a second branch). */
    public NetworkBuilder from(String node) {
        if (!shapes.containsKey(node)) {
            throw new IllegalArgumentException("no node " + node);
        }
        current = node;
        return this;
    }

    private NetworkBuilder add(String name, Layer layer, List<String> inputs) {
        Node n = new Node(name, layer, inputs);
        List<Shape> in = new ArrayList<>();
        for (String i : inputs) {
            in.add(shapes.get(i));
        }
        Shape out = layer.outputShape(in);
        for (Map.Entry<String, int[]> p : layer.paramShapes().entrySet()) {
            params.put(n.param(p.getKey()), init(layer, p.getKey(), p.getValue()));
        }
        nodes.add(n);
        shapes.put(name, out);
        current = name;
        return this;
    }

    private Tensor init(Layer layer, String suffix, int[] shape) {
        return switch (suffix) {
            case "weight" -> {
                int fanIn = Tensor.numel(shape) / shape[0];
                double std = Math.sqrt(2.0 / fanIn);
                float[] d = new float[Tensor.numel(shape)];
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) (random.nextGaussian() * std);
                }
                yield new Tensor(shape, d);
            }
            case "gamma", "var" -> Tensor.filled(1f, shape);
            default -> Tensor.zeros(shape);
        };
    }

    public Graph build() {
        return new Graph(nodes, params, Map.of(), Map.of(), metadata);
    }
}
