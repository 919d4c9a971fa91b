package dev.frontier.worker.compile.pass;

import dev.frontier.worker.compile.Activation;
import dev.frontier.worker.compile.op.Op;
import dev.frontier.worker.compile.op.SimpleOps;

import java.util.ArrayList;
import java.util.List;

/**
 * Ops -> ops: a ReLU / ReLU6 whose input is produced by a kernel with an epilogue (conv, linear, add,
 * affine) and read by nothing else is folded into that kernel; the producer then writes the
 * activation's value directly.
 */
public final class FuseActivations {
    private FuseActivations() {
    }

    public static List<Op> apply(List<Op> ops) {
        List<Op> out = new ArrayList<>(ops);
        for (int i = 0; i < out.size(); i++) {
            if (!(out.get(i) instanceof SimpleOps.Act a)) {
                continue;
            }
            String v = a.inputs().get(0);
            Op producer = null;
            int readers = 0;
            for (Op o : out) {
                if (o.output().equals(v)) {
                    producer = o;
                }
                readers += (int) o.inputs().stream().filter(v::equals).count();
            }
            if (producer == null || readers != 1 || !producer.fusesActivation()
                    || producer.activation() != Activation.NONE) {
                continue;
            }
            producer.activation(Activation.values()[a.code()]);
            producer.output(a.output());
            out.remove(i);
            i--;
        }
        return out;
    }
}
