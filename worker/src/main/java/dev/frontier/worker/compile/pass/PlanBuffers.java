package dev.frontier.worker.compile.pass;

import dev.frontier.worker.compile.Layout;
import dev.frontier.worker.compile.Plan;
import dev.frontier.worker.compile.op.ConvOps;
import dev.frontier.worker.compile.op.Op;
import dev.frontier.worker.model.Shape;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ops -> plan: static memory. Every spatial value gets the same zero ring (the largest padding any
 * op needs), flat values none. A value's buffer is freed after its last reader; a freed buffer is
 * reused only by a value of identical layout, which keeps the zero rings valid without re-clearing.
 * Nothing is allocated per inference.
 */
public final class PlanBuffers {
    private PlanBuffers() {
    }

    public static int ringFor(List<Op> ops) {
        int p = 0;
        for (Op op : ops) {
            p = Math.max(p, op.ringNeeded());
        }
        return p;
    }

    public static Plan plan(List<Op> ops, String input, Shape inputShape, Map<String, String> metadata) {
        int ring = ringFor(ops);
        Map<String, Layout> layouts = new LinkedHashMap<>();
        layouts.put(input, Layout.of(inputShape, ring));
        for (Op op : ops) {
            layouts.put(op.output(), Layout.of(op.outShape(), ring));
        }
        String output = ops.isEmpty() ? input : ops.get(ops.size() - 1).output();
        Map<String, Integer> lastUse = new HashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            for (String v : ops.get(i).inputs()) {
                lastUse.put(v, i);
            }
        }
        lastUse.put(output, Integer.MAX_VALUE);
        lastUse.put(input, Math.max(lastUse.getOrDefault(input, -1), 0));

        Map<String, Integer> assign = new LinkedHashMap<>();
        List<Layout> bufferLayout = new ArrayList<>();
        List<Integer> free = new ArrayList<>();
        assign.put(input, 0);
        bufferLayout.add(layouts.get(input));
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            Layout l = layouts.get(op.output());
            Integer chosen = null;
            for (Integer b : free) {
                if (bufferLayout.get(b).equals(l)) {
                    chosen = b;
                    break;
                }
            }
            if (chosen != null) {
                free.remove(chosen);
            } else {
                chosen = bufferLayout.size();
                bufferLayout.add(l);
            }
            assign.put(op.output(), chosen);
            for (Map.Entry<String, Integer> e : assign.entrySet()) {
                Integer last = lastUse.get(e.getKey());
                if ((last == null || last == i) && !e.getKey().equals(op.output()) && !free.contains(e.getValue())
                        && !stillLive(assign, lastUse, e.getValue(), i)) {
                    free.add(e.getValue());
                }
            }
        }
        int[] sizes = bufferLayout.stream().mapToInt(Layout::allocSize).toArray();
        return new Plan(ops, layouts, assign, sizes, input, output, metadata);
    }

    /** True if some value in buffer {@code b} is read after op {@code i}. */
    private static boolean stillLive(Map<String, Integer> assign, Map<String, Integer> lastUse, int b, int i) {
        for (Map.Entry<String, Integer> e : assign.entrySet()) {
            if (e.getValue() == b) {
                Integer last = lastUse.get(e.getKey());
                if (last != null && last > i) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean isFlattened(Op op) {
        return op instanceof ConvOps.Dense || op instanceof ConvOps.Sparse;
    }
}
