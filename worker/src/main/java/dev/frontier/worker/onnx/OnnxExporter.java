package dev.frontier.worker.onnx;

import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Layer;
import dev.frontier.worker.model.Mask;
import dev.frontier.worker.model.Node;
import dev.frontier.worker.model.QuantizedTensor;
import dev.frontier.worker.model.Shape;
import dev.frontier.worker.model.Tensor;
import dev.frontier.worker.onnx.proto.OnnxProto.AttributeProto;
import dev.frontier.worker.onnx.proto.OnnxProto.GraphProto;
import dev.frontier.worker.onnx.proto.OnnxProto.ModelProto;
import dev.frontier.worker.onnx.proto.OnnxProto.NodeProto;
import dev.frontier.worker.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.frontier.worker.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.frontier.worker.onnx.proto.OnnxProto.TensorShapeProto;
import dev.frontier.worker.onnx.proto.OnnxProto.TypeProto;
import dev.frontier.worker.onnx.proto.OnnxProto.ValueInfoProto;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * IR -> ONNX, opset 13, NCHW with a symbolic batch dimension named {@code batch}; graph input
 * {@value #INPUT}, output {@value #OUTPUT}. Pruned weights are exported as zeros. Quantized weights:
 * <ul>
 *   <li>symmetric int8 and int4: an int8 initializer of the codes, per-row float scales and zero
 *       points, DequantizeLinear(axis=0) -> the weight. Exact: ONNX Runtime computes q * scale in float
 *       as Frontier does. int4 codes are stored one per byte (opset 13 has no int4 type).
 *   <li>power-of-two and mixed rows: a power-of-two code |q| maps to 2^(m-|q|) with scale / 2^(m-1),
 *       m the row's largest |q|; exact whenever m <= 7 (every int4 tensor). Otherwise the tensor is
 *       exported as dequantized float and the model's metadata says so.
 * </ul>
 */
public final class OnnxExporter {
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";
    public static final int OPSET = 13;
    /** IR version 7 goes with opset 13. */
    static final int IR_VERSION = 7;

    private final Graph g;
    private final GraphProto.Builder gb = GraphProto.newBuilder();
    private final Map<String, String> valueOf = new HashMap<>();
    private final Map<String, Integer> rankOf = new HashMap<>();
    private final Map<String, String> notes = new java.util.LinkedHashMap<>();

    private OnnxExporter(Graph g) {
        this.g = g;
    }

    public static ModelProto export(Graph g) {
        return new OnnxExporter(g).run();
    }

    private ModelProto run() {
        gb.setName(g.metadata().getOrDefault("arch", "frontier"));
        Shape in = g.inputShape();
        gb.addInput(valueInfo(INPUT, in.c(), in.h(), in.w()));
        for (Node n : g.nodes()) {
            boolean last = n == g.output();
            String out = last ? OUTPUT : n.name().equals(OUTPUT) || n.name().equals(INPUT) ? n.name() + "_value" : n.name();
            Layer l = n.layer();
            if (l instanceof Layer.Input) {
                valueOf.put(n.name(), INPUT);
                rankOf.put(n.name(), 4);
                continue;
            }
            int rank = rankOf.get(n.inputs().get(0));
            if (l instanceof Layer.Conv2d c) {
                String w = weight(n);
                node("Conv", n.name(), out, List.of(input(n, 0), w, c.bias() ? init(n.param("bias")) : ""),
                        Attrs.intsAttr("kernel_shape", c.kernelH(), c.kernelW()),
                        Attrs.intsAttr("strides", c.stride(), c.stride()),
                        Attrs.intsAttr("pads", c.padding(), c.padding(), c.padding(), c.padding()),
                        Attrs.intsAttr("dilations", 1, 1), Attrs.of("group", c.groups()));
            } else if (l instanceof Layer.Linear f) {
                String x = rank == 2 ? input(n, 0) : flatten(n.name() + "_flatten", input(n, 0));
                String w = weight(n);
                node("Gemm", n.name(), out, List.of(x, w, f.bias() ? init(n.param("bias")) : ""),
                        Attrs.of("transB", 1L), Attrs.of("alpha", 1f), Attrs.of("beta", 1f));
                rank = 2;
            } else if (l instanceof Layer.BatchNorm b) {
                node("BatchNormalization", n.name(), out, List.of(input(n, 0), init(n.param("gamma")),
                        init(n.param("beta")), init(n.param("mean")), init(n.param("var"))), Attrs.of("epsilon", b.eps()));
            } else if (l instanceof Layer.Relu) {
                node("Relu", n.name(), out, List.of(input(n, 0)));
            } else if (l instanceof Layer.Relu6) {
                node("Clip", n.name(), out, List.of(input(n, 0), scalar("frontier_clip_min", 0f),
                        scalar("frontier_clip_max", 6f)));
            } else if (l instanceof Layer.MaxPool p) {
                node("MaxPool", n.name(), out, List.of(input(n, 0)), poolAttrs(p.kernel(), p.stride(), p.padding()));
            } else if (l instanceof Layer.AvgPool p) {
                // the IR averages over the whole window, padding included (PyTorch's default)
                AttributeProto[] a = poolAttrs(p.kernel(), p.stride(), p.padding());
                node("AveragePool", n.name(), out, List.of(input(n, 0)), a[0], a[1], a[2],
                        Attrs.of("count_include_pad", 1L));
            } else if (l instanceof Layer.GlobalAvgPool) {
                node("GlobalAveragePool", n.name(), out, List.of(input(n, 0)));
                rank = 4;
            } else if (l instanceof Layer.Add) {
                String a = input(n, 0);
                String b = input(n, 1);
                int rb = rankOf.get(n.inputs().get(1));
                if (rank != rb) {
                    a = rank == 4 ? flatten(n.name() + "_flatten_a", a) : a;
                    b = rb == 4 ? flatten(n.name() + "_flatten_b", b) : b;
                    rank = 2;
                }
                node("Add", n.name(), out, List.of(a, b));
            } else if (l instanceof Layer.Flatten) {
                node("Flatten", n.name(), out, List.of(input(n, 0)), Attrs.of("axis", 1L));
                rank = 2;
            } else if (l instanceof Layer.Softmax) {
                softmax(n, out, rank);
            } else {
                throw new IllegalArgumentException("cannot export layer " + l.op() + " (" + n.name() + ")");
            }
            valueOf.put(n.name(), out);
            rankOf.put(n.name(), rank);
        }
        Shape o = g.shape(g.output().name());
        int outRank = rankOf.get(g.output().name());
        gb.addOutput(outRank == 2 ? valueInfo(OUTPUT, o.size()) : valueInfo(OUTPUT, o.c(), o.h(), o.w()));
        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("frontier")
                .setProducerVersion("1")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(gb);
        g.metadata().forEach((k, v) -> m.addMetadataProps(entry(k, v)));
        notes.forEach((k, v) -> m.addMetadataProps(entry("frontier.export." + k, v)));
        return m.build();
    }

    private void softmax(Node n, String out, int rank) {
        Shape s = g.shape(n.name());
        if (rank == 2 || s.isFlat()) {
            node("Softmax", n.name(), out, List.of(input(n, 0)), Attrs.of("axis", 1L));
            return;
        }
        // the IR normalises over the whole sample; ONNX 13 over one axis: flatten, softmax, restore
        String flat = flatten(n.name() + "_flatten", input(n, 0));
        node("Softmax", n.name() + "_softmax", n.name() + "_softmax", List.of(flat), Attrs.of("axis", 1L));
        String shape = n.name() + "_shape";
        gb.addInitializer(OnnxTensors.int64s(shape, new int[] {4}, new long[] {-1, s.c(), s.h(), s.w()}));
        node("Reshape", n.name(), out, List.of(n.name() + "_softmax", shape));
    }

    private String flatten(String name, String x) {
        node("Flatten", name, name, List.of(x), Attrs.of("axis", 1L));
        return name;
    }

    private String input(Node n, int i) {
        return valueOf.get(n.inputs().get(i));
    }

    private String init(String param) {
        Tensor t = g.param(param);
        gb.addInitializer(OnnxTensors.floats(param, t.shape(), t.data()));
        return param;
    }

    private String scalar(String name, float v) {
        if (gb.getInitializerList().stream().noneMatch(t -> t.getName().equals(name))) {
            gb.addInitializer(OnnxTensors.floats(name, new int[0], new float[] {v}));
        }
        return name;
    }

    /** The weight value: a float initializer, or int8 codes + DequantizeLinear where that is exact. */
    private String weight(Node n) {
        String param = n.weightName();
        Tensor w = g.param(param);
        float[] data = w.data();
        Mask m = g.mask(param);
        if (m != null) {
            data = data.clone();
            m.applyTo(new Tensor(w.shape(), data));
        }
        QuantizedTensor q = g.quantized(param);
        if (q != null) {
            Int8Codes c = Int8Codes.of(q);
            if (c != null) {
                String codes = param + "_quantized";
                var t = OnnxTensors.int8s(codes, q.shape(), c.values()).toBuilder()
                        .setDocString("frontier:bits=" + q.bits() + ",scheme=" + q.scheme().wireName()).build();
                gb.addInitializer(t);
                gb.addInitializer(OnnxTensors.floats(param + "_scale", new int[] {q.rows()}, c.scales()));
                gb.addInitializer(OnnxTensors.int8s(param + "_zero_point", new int[] {q.rows()}, new byte[q.rows()]));
                node("DequantizeLinear", param + "_dequantize", param,
                        List.of(codes, param + "_scale", param + "_zero_point"), Attrs.of("axis", 0L));
                notes.put(param, "int8 codes + DequantizeLinear (" + q.bits() + "-bit " + q.scheme().wireName()
                        + ", exact)");
                return param;
            }
            notes.put(param, "dequantized float (" + q.bits() + "-bit " + q.scheme().wireName()
                    + " rows with exponents beyond int8 range)");
        }
        gb.addInitializer(OnnxTensors.floats(param, w.shape(), data));
        return param;
    }

    private static AttributeProto[] poolAttrs(int kernel, int stride, int pad) {
        return new AttributeProto[] {Attrs.intsAttr("kernel_shape", kernel, kernel), Attrs.intsAttr("strides", stride, stride),
                Attrs.intsAttr("pads", pad, pad, pad, pad)};
    }

    private void node(String op, String name, String out, List<String> inputs, AttributeProto... attrs) {
        NodeProto.Builder b = NodeProto.newBuilder().setOpType(op).setName(name).addOutput(out);
        int last = inputs.size();
        while (last > 0 && inputs.get(last - 1).isEmpty()) {
            last--;
        }
        b.addAllInput(inputs.subList(0, last));
        for (AttributeProto a : attrs) {
            b.addAttribute(a);
        }
        gb.addNode(b);
    }

    private static ValueInfoProto valueInfo(String name, int... perSample) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
        for (int d : perSample) {
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(OnnxTensors.FLOAT).setShape(s))).build();
    }

    private static StringStringEntryProto entry(String k, String v) {
        return StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }

    /** Linear int8 codes and per-row scales that reproduce a quantized tensor exactly, or null. */
    record Int8Codes(byte[] values, float[] scales) {
        static Int8Codes of(QuantizedTensor q) {
            byte[] src = q.values();
            byte[] out = new byte[src.length];
            float[] scales = new float[q.rows()];
            int len = q.rowLength();
            for (int r = 0; r < q.rows(); r++) {
                if (!q.rowPowerOfTwo()[r]) {
                    System.arraycopy(src, r * len, out, r * len, len);
                    scales[r] = q.scales()[r];
                    continue;
                }
                int m = 1;
                for (int i = r * len; i < (r + 1) * len; i++) {
                    m = Math.max(m, Math.abs(src[i]));
                }
                if (m > 7) {
                    return null;
                }
                float scale = q.scales()[r] / (1 << (m - 1));
                if (scale * (1 << (m - 1)) != q.scales()[r]) {
                    return null;
                }
                for (int i = r * len; i < (r + 1) * len; i++) {
                    int c = src[i];
                    out[i] = (byte) (c == 0 ? 0 : Integer.signum(c) * (1 << (m - Math.abs(c))));
                }
                scales[r] = scale;
            }
            return new Int8Codes(out, scales);
        }
    }
}
