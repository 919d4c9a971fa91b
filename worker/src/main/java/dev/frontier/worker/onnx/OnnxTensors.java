package dev.frontier.worker.onnx;

import com.google.protobuf.ByteString;
import dev.frontier.worker.onnx.proto.OnnxProto.TensorProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** TensorProto <-> Java arrays. Weights are written as little-endian raw_data, read from either form. */
final class OnnxTensors {
    static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    static final int INT8 = TensorProto.DataType.INT8_VALUE;
    static final int INT64 = TensorProto.DataType.INT64_VALUE;

    /**
     * A constant (initializer or Constant node). Float element types land in {@code floats}, integer
     * ones in {@code longs}; the other array is null.
     */
    record Const(String name, long[] dims, int dataType, float[] floats, long[] longs) {
        int numel() {
            return Math.toIntExact(OnnxTensors.numel(dims, name));
        }

        boolean isFloat() {
            return floats != null;
        }

        float[] asFloats() {
            if (floats != null) {
                return floats;
            }
            float[] f = new float[longs.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = longs[i];
            }
            return f;
        }

        long[] asLongs() {
            if (longs != null) {
                return longs;
            }
            long[] l = new long[floats.length];
            for (int i = 0; i < l.length; i++) {
                l[i] = (long) floats[i];
            }
            return l;
        }

        int[] intDims() {
            int[] d = new int[dims.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = Math.toIntExact(dims[i]);
            }
            return d;
        }

        String shapeString() {
            return Arrays.toString(dims);
        }
    }

    private OnnxTensors() {
    }

    static long numel(long[] dims, String name) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new OnnxModelException("tensor '" + name + "' has a negative dimension " + Arrays.toString(dims));
            }
            n = Math.multiplyExact(n, d);
            if (n > Integer.MAX_VALUE) {
                throw new OnnxModelException("tensor '" + name + "' is too large: " + Arrays.toString(dims));
            }
        }
        return n;
    }

    static Const decode(TensorProto t) {
        String name = t.getName();
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
            throw new OnnxModelException("tensor '" + name + "' keeps its data in an external file; "
                    + "save the model with the weights embedded (one .onnx file)");
        }
        long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        int n = (int) numel(dims, name);
        int type = t.getDataType();
        boolean raw = t.hasRawData();
        ByteBuffer rb = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case TensorProto.DataType.FLOAT_VALUE -> {
                float[] f = new float[n];
                if (raw) {
                    checkRaw(name, rb, n, 4);
                    rb.asFloatBuffer().get(f);
                } else {
                    checkCount(name, t.getFloatDataCount(), n);
                    for (int i = 0; i < n; i++) {
                        f[i] = t.getFloatData(i);
                    }
                }
                return new Const(name, dims, type, f, null);
            }
            case TensorProto.DataType.DOUBLE_VALUE -> {
                float[] f = new float[n];
                if (raw) {
                    checkRaw(name, rb, n, 8);
                    for (int i = 0; i < n; i++) {
                        f[i] = (float) rb.getDouble();
                    }
                } else {
                    checkCount(name, t.getDoubleDataCount(), n);
                    for (int i = 0; i < n; i++) {
                        f[i] = (float) t.getDoubleData(i);
                    }
                }
                return new Const(name, dims, type, f, null);
            }
            case TensorProto.DataType.FLOAT16_VALUE -> {
                float[] f = new float[n];
                if (raw) {
                    checkRaw(name, rb, n, 2);
                    for (int i = 0; i < n; i++) {
                        f[i] = halfToFloat(rb.getShort() & 0xffff);
                    }
                } else {
                    checkCount(name, t.getInt32DataCount(), n);
                    for (int i = 0; i < n; i++) {
                        f[i] = halfToFloat(t.getInt32Data(i) & 0xffff);
                    }
                }
                return new Const(name, dims, type, f, null);
            }
            case TensorProto.DataType.INT64_VALUE -> {
                long[] l = new long[n];
                if (raw) {
                    checkRaw(name, rb, n, 8);
                    rb.asLongBuffer().get(l);
                } else {
                    checkCount(name, t.getInt64DataCount(), n);
                    for (int i = 0; i < n; i++) {
                        l[i] = t.getInt64Data(i);
                    }
                }
                return new Const(name, dims, type, null, l);
            }
            case TensorProto.DataType.INT32_VALUE, TensorProto.DataType.INT8_VALUE, TensorProto.DataType.UINT8_VALUE,
                 TensorProto.DataType.INT16_VALUE, TensorProto.DataType.UINT16_VALUE, TensorProto.DataType.BOOL_VALUE -> {
                long[] l = new long[n];
                int width = switch (type) {
                    case TensorProto.DataType.INT32_VALUE -> 4;
                    case TensorProto.DataType.INT16_VALUE, TensorProto.DataType.UINT16_VALUE -> 2;
                    default -> 1;
                };
                boolean unsigned = type == TensorProto.DataType.UINT8_VALUE || type == TensorProto.DataType.UINT16_VALUE
                        || type == TensorProto.DataType.BOOL_VALUE;
                if (raw) {
                    checkRaw(name, rb, n, width);
                    for (int i = 0; i < n; i++) {
                        l[i] = switch (width) {
                            case 4 -> rb.getInt();
                            case 2 -> unsigned ? rb.getShort() & 0xffff : rb.getShort();
                            default -> unsigned ? rb.get() & 0xff : rb.get();
                        };
                    }
                } else {
                    checkCount(name, t.getInt32DataCount(), n);
                    for (int i = 0; i < n; i++) {
                        l[i] = t.getInt32Data(i);
                    }
                }
                return new Const(name, dims, type, null, l);
            }
            default -> throw new OnnxModelException("tensor '" + name + "' has element type "
                    + typeName(type) + ", which the importer does not read (float, double, float16 and integers only)");
        }
    }

    static String typeName(int type) {
        TensorProto.DataType t = TensorProto.DataType.forNumber(type);
        return t == null ? "#" + type : t.name();
    }

    private static void checkRaw(String name, ByteBuffer rb, int n, int width) {
        if (rb.remaining() != (long) n * width) {
            throw new OnnxModelException("tensor '" + name + "' is truncated or inconsistent: raw_data has "
                    + rb.remaining() + " bytes, its shape needs " + (long) n * width);
        }
    }

    private static void checkCount(String name, int count, int n) {
        if (count != n) {
            throw new OnnxModelException("tensor '" + name + "' has " + count + " values, its shape needs " + n);
        }
    }

    /** IEEE 754 binary16 to float (Float.float16ToFloat is Java 20+). */
    static float halfToFloat(int h) {
        int sign = (h >>> 15) & 1;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        float v;
        if (exp == 0) {
            v = mant * 0x1p-24f;
        } else if (exp == 31) {
            v = mant == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        } else {
            v = Float.intBitsToFloat(((exp - 15 + 127) << 23) | (mant << 13));
        }
        return sign == 1 ? -v : v;
    }

    static TensorProto floats(String name, int[] dims, float[] data) {
        ByteBuffer bb = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(data);
        return base(name, dims, FLOAT).setRawData(ByteString.copyFrom(bb.array())).build();
    }

    static TensorProto int8s(String name, int[] dims, byte[] data) {
        return base(name, dims, INT8).setRawData(ByteString.copyFrom(data)).build();
    }

    static TensorProto int64s(String name, int[] dims, long[] data) {
        ByteBuffer bb = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        bb.asLongBuffer().put(data);
        return base(name, dims, INT64).setRawData(ByteString.copyFrom(bb.array())).build();
    }

    private static TensorProto.Builder base(String name, int[] dims, int type) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(type);
        for (int d : dims) {
            b.addDims(d);
        }
        return b;
    }
}
