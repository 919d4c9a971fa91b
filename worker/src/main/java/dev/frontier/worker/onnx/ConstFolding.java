package dev.frontier.worker.onnx;

import dev.frontier.worker.onnx.OnnxTensors.Const;
import dev.frontier.worker.onnx.proto.OnnxProto.NodeProto;
import dev.frontier.worker.onnx.proto.OnnxProto.TensorProto;

import java.util.Arrays;

/**
 * Operators the importer evaluates at import time because all they do is compute constants:
 * Constant, DequantizeLinear of a weight, and the Shape -> Gather -> Unsqueeze -> Concat chain that
 * exporters emit for {@code x.view(x.size(0), -1)}. Shapes are evaluated at batch 1, which is what
 * such a chain means to a batch-agnostic IR (the Reshape that consumes it must keep the batch).
 */
final class ConstFolding {
    private ConstFolding() {
    }

    static void fold(OnnxImporter im, NodeProto n, Attrs a) {
        Const out = switch (n.getOpType()) {
            case "Constant" -> constant(im, n, a);
            case "DequantizeLinear" -> dequantize(im, n, a);
            case "Shape" -> shape(im, a);
            case "Gather" -> gather(im, a);
            case "Unsqueeze" -> unsqueeze(im, a);
            case "Concat" -> concat(im, n, a);
            default -> throw im.unsupported(n.getOpType() + " of constants is not supported");
        };
        im.defineConst(n.getOutput(0), out);
    }

    private static Const constant(OnnxImporter im, NodeProto n, Attrs a) {
        String name = n.getOutput(0);
        TensorProto t = a.tensor("value");
        if (t != null) {
            return OnnxTensors.decode(t.toBuilder().setName(name).build());
        }
        if (a.has("value_float")) {
            return new Const(name, new long[0], OnnxTensors.FLOAT, new float[] {a.f("value_float", 0)}, null);
        }
        if (a.has("value_floats")) {
            float[] f = a.floats("value_floats");
            return new Const(name, new long[] {f.length}, OnnxTensors.FLOAT, f, null);
        }
        if (a.has("value_int")) {
            return new Const(name, new long[0], OnnxTensors.INT64, null, new long[] {a.i("value_int", 0)});
        }
        if (a.has("value_ints")) {
            long[] l = a.ints("value_ints", new long[0]);
            return new Const(name, new long[] {l.length}, OnnxTensors.INT64, null, l);
        }
        throw im.unsupported("Constant without a value/value_float(s)/value_int(s) attribute");
    }

    /** y = (x - zero_point) * scale, per tensor or along {@code axis}; int8 weights keep their codes. */
    private static Const dequantize(OnnxImporter im, NodeProto n, Attrs a) {
        if (!im.isConst(n.getInput(0))) {
            throw im.unsupported("DequantizeLinear of activations (static activation quantization) is not supported;"
                    + " only quantized weights");
        }
        Const x = im.constInput(0, "x");
        Const scale = im.constInput(1, "x_scale");
        Const zp = im.optConst(2);
        if (x.isFloat()) {
            throw im.malformed("x must be an integer tensor, is " + OnnxTensors.typeName(x.dataType()));
        }
        long[] q = x.longs();
        float[] s = scale.asFloats();
        long[] z = zp == null ? new long[s.length] : zp.asLongs();
        if (z.length != s.length) {
            throw im.malformed("x_zero_point has " + z.length + " values, x_scale " + s.length);
        }
        int rank = x.dims().length;
        int axis = (int) a.i("axis", 1);
        if (axis < 0) {
            axis += rank;
        }
        int inner = 1;
        int channels = 1;
        if (s.length != 1) {
            if (scale.dims().length != 1 || axis < 0 || axis >= rank || x.dims()[axis] != s.length) {
                throw im.malformed("x_scale of shape " + scale.shapeString() + " does not match axis " + axis
                        + " of x " + x.shapeString());
            }
            channels = s.length;
            for (int d = axis + 1; d < rank; d++) {
                inner *= (int) x.dims()[d];
            }
        }
        float[] y = new float[q.length];
        for (int i = 0; i < q.length; i++) {
            int c = channels == 1 ? 0 : (i / inner) % channels;
            y[i] = (float) (q[i] - z[c]) * s[c];
        }
        boolean zeroPoints = Arrays.stream(z).allMatch(v -> v == 0);
        if (x.dataType() == OnnxTensors.INT8 && zeroPoints && rank >= 1 && (s.length == 1 || axis == 0)) {
            byte[] codes = new byte[q.length];
            for (int i = 0; i < q.length; i++) {
                codes[i] = (byte) q[i];
            }
            int rows = (int) x.dims()[0];
            float[] rowScales = new float[rows];
            for (int r = 0; r < rows; r++) {
                rowScales[r] = s.length == 1 ? s[0] : s[r];
            }
            im.defineCodes(n.getOutput(0), codes, rowScales, im.constDoc(n.getInput(0)));
        }
        return new Const(n.getOutput(0), x.dims(), OnnxTensors.FLOAT, y, null);
    }

    private static Const shape(OnnxImporter im, Attrs a) {
        int[] dims = im.activationDims(0);
        int rank = dims.length;
        int start = (int) a.i("start", 0);
        int end = (int) a.i("end", rank);
        start = Math.max(0, Math.min(rank, start < 0 ? start + rank : start));
        end = Math.max(0, Math.min(rank, end < 0 ? end + rank : end));
        long[] out = new long[Math.max(0, end - start)];
        for (int i = 0; i < out.length; i++) {
            out[i] = dims[start + i];
        }
        return new Const(im.current().getOutput(0), new long[] {out.length}, OnnxTensors.INT64, null, out);
    }

    private static Const gather(OnnxImporter im, Attrs a) {
        Const data = im.constInput(0, "data");
        Const idx = im.constInput(1, "indices");
        if (data.dims().length != 1 || a.i("axis", 0) != 0) {
            throw im.unsupported("Gather is supported only on 1-D constants (shape arithmetic)");
        }
        long[] d = data.asLongs();
        long[] ix = idx.asLongs();
        long[] out = new long[ix.length];
        for (int i = 0; i < ix.length; i++) {
            long k = ix[i] < 0 ? ix[i] + d.length : ix[i];
            if (k < 0 || k >= d.length) {
                throw im.malformed("index " + ix[i] + " is out of range for " + d.length + " values");
            }
            out[i] = d[(int) k];
        }
        return new Const(im.current().getOutput(0), idx.dims(), data.dataType(),
                data.isFloat() ? toFloats(out) : null, data.isFloat() ? null : out);
    }

    private static Const unsqueeze(OnnxImporter im, Attrs a) {
        Const data = im.constInput(0, "data");
        long[] axes = im.opset() < 13 ? a.ints("axes", new long[0]) : im.constInput(1, "axes").asLongs();
        int rank = data.dims().length + axes.length;
        long[] dims = new long[rank];
        boolean[] inserted = new boolean[rank];
        for (long ax : axes) {
            int k = (int) (ax < 0 ? ax + rank : ax);
            if (k < 0 || k >= rank || inserted[k]) {
                throw im.malformed("invalid axes " + Arrays.toString(axes));
            }
            inserted[k] = true;
        }
        for (int i = 0, j = 0; i < rank; i++) {
            dims[i] = inserted[i] ? 1 : data.dims()[j++];
        }
        return new Const(im.current().getOutput(0), dims, data.dataType(), data.floats(), data.longs());
    }

    private static Const concat(OnnxImporter im, NodeProto n, Attrs a) {
        long total = 0;
        Const[] parts = new Const[n.getInputCount()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = im.constInput(i, "input " + i);
            if (parts[i].dims().length != 1) {
                throw im.unsupported("Concat is supported only on 1-D constants (shape arithmetic)");
            }
            total += parts[i].numel();
        }
        long[] out = new long[(int) total];
        int at = 0;
        for (Const p : parts) {
            long[] v = p.asLongs();
            System.arraycopy(v, 0, out, at, v.length);
            at += v.length;
        }
        return new Const(n.getOutput(0), new long[] {total}, OnnxTensors.INT64, null, out);
    }

    private static float[] toFloats(long[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = v[i];
        }
        return f;
    }
}
