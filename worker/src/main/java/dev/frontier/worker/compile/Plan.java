package dev.frontier.worker.compile;

import dev.frontier.worker.compile.op.Op;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled model: ops in execution order, every value's layout, the static buffer assignment
 * (value -> arena buffer; values with disjoint lifetimes and equal layouts share a buffer) and
 * metadata (source model hash, compression summary, tuning choices). This is what an artifact holds.
 */
public final class Plan {
    private final List<Op> ops;
    private final Map<String, Layout> layouts;
    private final Map<String, Integer> buffers;
    private final int[] bufferSizes;
    private final String input;
    private final String output;
    private final Map<String, String> metadata;

    public Plan(List<Op> ops, Map<String, Layout> layouts, Map<String, Integer> buffers, int[] bufferSizes,
                String input, String output, Map<String, String> metadata) {
        this.ops = List.copyOf(ops);
        this.layouts = Collections.unmodifiableMap(new LinkedHashMap<>(layouts));
        this.buffers = Collections.unmodifiableMap(new LinkedHashMap<>(buffers));
        this.bufferSizes = bufferSizes.clone();
        this.input = input;
        this.output = output;
        this.metadata = new LinkedHashMap<>(metadata);
        for (Op op : ops) {
            for (String v : op.inputs()) {
                require(v);
            }
            require(op.output());
        }
        require(input);
        require(output);
    }

    private void require(String v) {
        Integer b = buffers.get(v);
        if (!layouts.containsKey(v) || b == null || b < 0 || b >= bufferSizes.length
                || bufferSizes[b] < layouts.get(v).allocSize()) {
            throw new IllegalArgumentException("plan value '" + v + "' has no valid layout/buffer");
        }
    }

    public List<Op> ops() {
        return ops;
    }

    public Map<String, Layout> layouts() {
        return layouts;
    }

    public Map<String, Integer> buffers() {
        return buffers;
    }

    public int[] bufferSizes() {
        return bufferSizes.clone();
    }

    public String input() {
        return input;
    }

    public String output() {
        return output;
    }

    public Layout inputLayout() {
        return layouts.get(input);
    }

    public Layout outputLayout() {
        return layouts.get(output);
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** Arena floats in total (all activations of one inference). */
    public long arenaFloats() {
        long n = 0;
        for (int s : bufferSizes) {
            n += s;
        }
        return n;
    }

    public long macs() {
        return ops.stream().mapToLong(Op::macs).sum();
    }
}
