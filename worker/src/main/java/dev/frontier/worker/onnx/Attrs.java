package dev.frontier.worker.onnx;

import dev.frontier.worker.onnx.proto.OnnxProto.AttributeProto;
import dev.frontier.worker.onnx.proto.OnnxProto.NodeProto;
import dev.frontier.worker.onnx.proto.OnnxProto.TensorProto;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A node's attributes by name, with the ONNX defaults supplied by the caller. */
final class Attrs {
    private final Map<String, AttributeProto> byName = new HashMap<>();

    Attrs(NodeProto n) {
        for (AttributeProto a : n.getAttributeList()) {
            byName.put(a.getName(), a);
        }
    }

    boolean has(String name) {
        return byName.containsKey(name);
    }

    long i(String name, long def) {
        AttributeProto a = byName.get(name);
        return a == null ? def : a.getI();
    }

    float f(String name, float def) {
        AttributeProto a = byName.get(name);
        return a == null ? def : a.getF();
    }

    String s(String name, String def) {
        AttributeProto a = byName.get(name);
        return a == null ? def : a.getS().toString(StandardCharsets.UTF_8);
    }

    long[] ints(String name, long[] def) {
        AttributeProto a = byName.get(name);
        return a == null ? def : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    float[] floats(String name) {
        AttributeProto a = byName.get(name);
        if (a == null) {
            return null;
        }
        float[] f = new float[a.getFloatsCount()];
        for (int k = 0; k < f.length; k++) {
            f[k] = a.getFloats(k);
        }
        return f;
    }

    TensorProto tensor(String name) {
        AttributeProto a = byName.get(name);
        return a == null || !a.hasT() ? null : a.getT();
    }

    static AttributeProto of(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    static AttributeProto of(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    static AttributeProto intsAttr(String name, long... v) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            b.addInts(x);
        }
        return b.build();
    }
}
