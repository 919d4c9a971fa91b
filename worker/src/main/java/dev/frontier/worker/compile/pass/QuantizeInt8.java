package dev.frontier.worker.compile.pass;

import dev.frontier.worker.compile.kernel.LinearKernel;
import dev.frontier.worker.compile.op.LinearOps;
import dev.frontier.worker.compile.op.Op;
import dev.frontier.worker.model.QuantizedTensor;

/**
 * IR linear layer with symmetric per-row int8 codes -> integer op: the codes are kept as bytes (rows
 * padded with zeros to the vector byte length) with their row scales; the input is quantized per call.
 */
public final class QuantizeInt8 {
    private QuantizeInt8() {
    }

    public static LinearOps.Int8 pack(Op.Header h, int in, int out, QuantizedTensor q, float[] bias) {
        int np = LinearKernel.paddedLength(in);
        byte[] w = new byte[out * np];
        byte[] v = q.values();
        for (int r = 0; r < out; r++) {
            System.arraycopy(v, r * in, w, r * np, in);
        }
        return new LinearOps.Int8(h, in, out, np, w, q.scales().clone(), bias);
    }
}
