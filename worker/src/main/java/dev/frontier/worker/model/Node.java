package dev.frontier.worker.model;

import java.util.List;

/** One operation of the graph, reading the outputs of the nodes named in {@code inputs}. */
public record Node(String name, Layer layer, List<String> inputs) {
    public Node {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_.\\-]{0,63}")) {
            throw new IllegalArgumentException("invalid node name '" + name
                    + "': use letters, digits, '_', '.', '-' (max 64), starting with a letter or '_'");
        }
        inputs = List.copyOf(inputs);
        if (inputs.size() != layer.arity()) {
            throw new IllegalArgumentException("node " + name + " (" + layer.op() + ") needs " + layer.arity()
                    + " inputs, got " + inputs.size());
        }
    }

    public String param(String suffix) {
        return name + "." + suffix;
    }

    public String weightName() {
        return param("weight");
    }
}
