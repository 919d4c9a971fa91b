package dev.frontier.worker.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import dev.frontier.worker.onnx.proto.OnnxProto.AttributeProto;
import dev.frontier.worker.onnx.proto.OnnxProto.GraphProto;
import dev.frontier.worker.onnx.proto.OnnxProto.ModelProto;
import dev.frontier.worker.onnx.proto.OnnxProto.NodeProto;
import dev.frontier.worker.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.frontier.worker.onnx.proto.OnnxProto.TensorProto;
import dev.frontier.worker.onnx.proto.OnnxProto.TensorShapeProto;
import dev.frontier.worker.onnx.proto.OnnxProto.TypeProto;
import dev.frontier.worker.onnx.proto.OnnxProto.ValueInfoProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Hand-built ONNX models for tests (ModelProto messages assembled directly), and an ORT runner. */
final class OnnxBuilder {
    final GraphProto.Builder g = GraphProto.newBuilder().setName("test");
    private final int opset;
    private final Random random = new Random(11);

    /** A model whose single input is {@code name} with dims (-1 = symbolic batch). */
    OnnxBuilder(int opset, String name, long... dims) {
        this.opset = opset;
        g.addInput(info(name, dims));
    }

    static ValueInfoProto info(String name, long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))).build();
    }

    float[] randoms(int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) random.nextGaussian() * 0.5f;
        }
        return f;
    }

    /** A random float initializer in raw_data. */
    OnnxBuilder weight(String name, long... dims) {
        return raw(name, dims, randoms(numel(dims)));
    }

    OnnxBuilder raw(String name, long[] dims, float[] data) {
        ByteBuffer bb = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(data);
        g.addInitializer(tensor(name, 1, dims).setRawData(ByteString.copyFrom(bb.array())));
        return this;
    }

    /** A float initializer in float_data (the other encoding). */
    OnnxBuilder floatData(String name, long[] dims, float[] data) {
        TensorProto.Builder t = tensor(name, 1, dims);
        for (float v : data) {
            t.addFloatData(v);
        }
        g.addInitializer(t);
        return this;
    }

    OnnxBuilder positive(String name, long... dims) {
        float[] f = randoms(numel(dims));
        for (int i = 0; i < f.length; i++) {
            f[i] = 0.5f + Math.abs(f[i]);
        }
        return raw(name, dims, f);
    }

    OnnxBuilder longs(String name, long... values) {
        TensorProto.Builder t = tensor(name, 7, new long[] {values.length});
        for (long v : values) {
            t.addInt64Data(v);
        }
        g.addInitializer(t);
        return this;
    }

    OnnxBuilder scalarLong(String name, long v) {
        g.addInitializer(tensor(name, 7, new long[0]).addInt64Data(v));
        return this;
    }

    OnnxBuilder scalar(String name, float v) {
        return raw(name, new long[0], new float[] {v});
    }

    OnnxBuilder int8(String name, long[] dims, byte[] codes) {
        g.addInitializer(tensor(name, 3, dims).setRawData(ByteString.copyFrom(codes)));
        return this;
    }

    OnnxBuilder node(String op, String name, List<String> in, String out, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(in).addOutput(out);
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        g.addNode(n);
        return this;
    }

    OnnxBuilder output(String name, long... dims) {
        g.addOutput(info(name, dims));
        return this;
    }

    ModelProto model() {
        return ModelProto.newBuilder().setIrVersion(7).setProducerName("test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(g).build();
    }

    byte[] bytes() {
        return model().toByteArray();
    }

    static AttributeProto i(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    static AttributeProto f(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    static AttributeProto s(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFrom(v, StandardCharsets.UTF_8)).build();
    }

    static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            b.addInts(x);
        }
        return b.build();
    }

    static AttributeProto tensorAttr(String name, TensorProto t) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(t).build();
    }

    static TensorProto.Builder tensor(String name, int type, long[] dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type);
        for (long d : dims) {
            t.addDims(d);
        }
        return t;
    }

    static int numel(long[] dims) {
        int n = 1;
        for (long d : dims) {
            n *= (int) d;
        }
        return n;
    }

    /** Runs ONNX bytes in ONNX Runtime on one input of the given full shape (batch included). */
    static float[] ort(byte[] model, long[] shape, float[] x) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(model, o);
                 OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
                 OrtSession.Result r = s.run(Map.of(s.getInputNames().iterator().next(), t))) {
                FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                float[] y = new float[fb.remaining()];
                fb.get(y);
                return y;
            }
        }
    }
}
