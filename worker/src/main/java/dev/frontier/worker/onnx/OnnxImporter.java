package dev.frontier.worker.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Layer;
import dev.frontier.worker.model.Node;
import dev.frontier.worker.model.QuantScheme;
import dev.frontier.worker.model.QuantizedTensor;
import dev.frontier.worker.model.Shape;
import dev.frontier.worker.model.Tensor;
import dev.frontier.worker.onnx.OnnxTensors.Const;
import dev.frontier.worker.onnx.UnsupportedOnnxModelException.Problem;
import dev.frontier.worker.onnx.proto.OnnxProto.GraphProto;
import dev.frontier.worker.onnx.proto.OnnxProto.ModelProto;
import dev.frontier.worker.onnx.proto.OnnxProto.NodeProto;
import dev.frontier.worker.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.frontier.worker.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.frontier.worker.onnx.proto.OnnxProto.TensorProto;
import dev.frontier.worker.onnx.proto.OnnxProto.TensorShapeProto;
import dev.frontier.worker.onnx.proto.OnnxProto.ValueInfoProto;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ONNX (opsets 7-21, tested 11-17) -> IR for feed-forward CNNs in NCHW with a symbolic or unit batch.
 * Each ONNX operator maps onto one IR layer or is folded away (constants, shape arithmetic, bias adds,
 * dequantized weights). The unsupported operators and settings of a model are all collected and
 * reported together; a malformed file fails at the first inconsistency with a message naming it.
 */
public final class OnnxImporter {
    /** Operators the importer understands; the first thirteen become layers, the rest are folded. */
    public static final List<String> SUPPORTED_OPS = List.of("Conv", "Gemm", "MatMul", "BatchNormalization", "Relu",
            "Clip", "MaxPool", "AveragePool", "GlobalAveragePool", "Add", "Flatten", "Reshape", "Softmax",
            "Identity", "Dropout", "Constant", "DequantizeLinear", "Shape", "Gather", "Unsqueeze", "Concat");
    static final int MIN_OPSET = 7;
    static final int MAX_OPSET = 21;

    /** Activation of one ONNX value: the IR node that computes it, its per-sample shape, its ONNX rank. */
    private record Value(String node, Shape shape, int rank) {
    }

    /** int8 codes behind a folded DequantizeLinear, kept so a quantized weight stays quantized. */
    private record Codes(byte[] values, float[] rowScales, int bits) {
    }

    /** A setting this importer cannot express; recorded and the node's outputs marked unusable. */
    private static final class Skip extends RuntimeException {
        Skip(String reason) {
            super(reason, null, false, false);
        }
    }

    private final ModelProto model;
    private final GraphProto g;
    private int opset;
    private final Map<String, Const> consts = new HashMap<>();
    private final Map<String, String> constDocs = new HashMap<>();
    private final Map<String, Codes> codes = new HashMap<>();
    private final Map<String, Value> values = new HashMap<>();
    private final Set<String> poisoned = new HashSet<>();
    private final Map<String, Integer> uses = new HashMap<>();
    /** ONNX value -> index in {@link #nodes} of the Conv/Linear that produced it, for bias folding. */
    private final Map<String, Integer> biasable = new HashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final Map<String, QuantizedTensor> quantized = new LinkedHashMap<>();
    private final Map<String, Shape> shapes = new HashMap<>();
    private final Set<String> usedNames = new HashSet<>();
    private final List<Problem> problems = new ArrayList<>();
    private int index;
    private NodeProto current;

    private OnnxImporter(ModelProto model) {
        this.model = model;
        this.g = model.getGraph();
    }

    public static Graph importModel(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new OnnxModelException("not an ONNX model: the file is empty");
        }
        ModelProto m;
        try {
            m = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxModelException("not an ONNX model (or truncated): protobuf parse failed: " + e.getMessage());
        }
        return importModel(m);
    }

    public static Graph importModel(ModelProto m) {
        return new OnnxImporter(m).run();
    }

    private Graph run() {
        checkHeader();
        checkOps();
        for (TensorProto t : g.getInitializerList()) {
            if (t.getName().isEmpty()) {
                throw new OnnxModelException("an initializer has no name");
            }
            consts.put(t.getName(), OnnxTensors.decode(t));
            constDocs.put(t.getName(), t.getDocString());
        }
        for (NodeProto n : g.getNodeList()) {
            for (String in : n.getInputList()) {
                uses.merge(in, 1, Integer::sum);
            }
        }
        for (ValueInfoProto o : g.getOutputList()) {
            uses.merge(o.getName(), 1, Integer::sum);
        }
        defineInput();
        for (index = 0; index < g.getNodeCount(); index++) {
            current = g.getNode(index);
            if (current.getOutputCount() == 0) {
                throw malformed("has no outputs");
            }
            if (current.getInputList().stream().anyMatch(poisoned::contains)) {
                poisoned.addAll(current.getOutputList());
                continue;
            }
            try {
                convert(current, new Attrs(current));
            } catch (Skip s) {
                problems.add(new Problem(index, current.getName(), current.getOpType(), s.getMessage()));
                poisoned.addAll(current.getOutputList());
            }
        }
        if (!problems.isEmpty()) {
            throw new UnsupportedOnnxModelException(problems);
        }
        return finish();
    }

    private void checkHeader() {
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new OnnxModelException("not an ONNX model: no graph or an empty graph (is this really an .onnx file?)");
        }
        if (model.getIrVersion() < 3) {
            throw new OnnxModelException("not an ONNX model: ir_version " + model.getIrVersion() + " (expected >= 3)");
        }
        opset = -1;
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                opset = (int) o.getVersion();
            }
        }
        if (opset < 0) {
            throw new OnnxModelException("the model imports no default ONNX opset (opset_import has no ai.onnx entry)");
        }
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new UnsupportedOnnxModelException(List.of(new Problem(-1, "", "opset " + opset,
                    "supported opsets are " + MIN_OPSET + ".." + MAX_OPSET + " (tested 11..17)")));
        }
        if (g.getOutputCount() != 1) {
            throw new UnsupportedOnnxModelException(List.of(new Problem(-1, "", "graph outputs",
                    "the graph has " + g.getOutputCount() + " outputs; exactly one (the logits) is supported")));
        }
    }

    /** Unknown operators are listed all at once, before any conversion work. */
    private void checkOps() {
        List<Problem> unknown = new ArrayList<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            boolean defaultDomain = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
            if (!defaultDomain || !SUPPORTED_OPS.contains(n.getOpType())) {
                String op = defaultDomain ? n.getOpType() : n.getDomain() + ":" + n.getOpType();
                unknown.add(new Problem(i, n.getName(), op, "operator not supported"));
            }
        }
        if (!unknown.isEmpty()) {
            throw new UnsupportedOnnxModelException(unknown);
        }
    }

    private void defineInput() {
        List<ValueInfoProto> inputs = g.getInputList().stream().filter(v -> !consts.containsKey(v.getName())).toList();
        if (inputs.size() != 1) {
            throw new UnsupportedOnnxModelException(List.of(new Problem(-1, "", "graph inputs",
                    "the graph has " + inputs.size() + " non-initializer inputs; exactly one image input is supported")));
        }
        ValueInfoProto in = inputs.get(0);
        if (!in.hasType() || !in.getType().hasTensorType()) {
            throw new OnnxModelException("graph input '" + in.getName() + "' is not a tensor");
        }
        int elem = in.getType().getTensorType().getElemType();
        if (elem != OnnxTensors.FLOAT) {
            throw new UnsupportedOnnxModelException(List.of(new Problem(-1, "", "graph input '" + in.getName() + "'",
                    "element type " + OnnxTensors.typeName(elem) + "; only float input is supported")));
        }
        if (!in.getType().getTensorType().hasShape()) {
            throw new OnnxModelException("graph input '" + in.getName() + "' has no shape; export it with fixed C, H, W");
        }
        List<TensorShapeProto.Dimension> dims = in.getType().getTensorType().getShape().getDimList();
        if (dims.size() != 4 && dims.size() != 2) {
            throw new UnsupportedOnnxModelException(List.of(new Problem(-1, "", "graph input '" + in.getName() + "'",
                    "rank " + dims.size() + "; expected NCHW (rank 4) or N x features (rank 2)")));
        }
        TensorShapeProto.Dimension batch = dims.get(0);
        if (batch.hasDimValue() && batch.getDimValue() > 1) {
            throw new UnsupportedOnnxModelException(List.of(new Problem(-1, "", "graph input '" + in.getName() + "'",
                    "fixed batch size " + batch.getDimValue() + "; export with a symbolic batch dimension or batch 1")));
        }
        int[] chw = new int[3];
        Arrays.fill(chw, 1);
        for (int i = 1; i < dims.size(); i++) {
            TensorShapeProto.Dimension d = dims.get(i);
            if (!d.hasDimValue() || d.getDimValue() <= 0) {
                throw new OnnxModelException("graph input '" + in.getName() + "' dimension " + i + " is "
                        + (d.hasDimParam() ? "symbolic ('" + d.getDimParam() + "')" : "unknown")
                        + "; channels, height and width must be fixed numbers");
            }
            chw[i - 1] = Math.toIntExact(d.getDimValue());
        }
        String name = uniqueName(in.getName(), "input");
        Layer.Input layer = new Layer.Input(chw[0], chw[1], chw[2]);
        nodes.add(new Node(name, layer, List.of()));
        Shape s = layer.outputShape(List.of());
        shapes.put(name, s);
        values.put(in.getName(), new Value(name, s, dims.size()));
    }

    private void convert(NodeProto n, Attrs a) {
        switch (n.getOpType()) {
            case "Conv" -> conv(n, a);
            case "Gemm" -> gemm(n, a);
            case "MatMul" -> matMul(n);
            case "BatchNormalization" -> batchNorm(n, a);
            case "Relu" -> simple(n, new Layer.Relu());
            case "Clip" -> clip(n, a);
            case "MaxPool", "AveragePool" -> pool(n, a);
            case "GlobalAveragePool" -> {
                Value x = act(0);
                requireRank(x, 4);
                define(n.getOutput(0), layer(new Layer.GlobalAvgPool(), x), 4);
            }
            case "Add" -> add(n);
            case "Flatten" -> flatten(n, a);
            case "Reshape" -> reshape(n, a);
            case "Softmax" -> softmax(n, a);
            case "Identity" -> alias(n);
            case "Dropout" -> {
                if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty() && uses.containsKey(n.getOutput(1))) {
                    throw new Skip("the dropout mask output is used");
                }
                alias(n);
            }
            default -> ConstFolding.fold(this, n, a);
        }
    }

    // ---- layers -------------------------------------------------------------------------------

    private void conv(NodeProto n, Attrs a) {
        Value x = act(0);
        requireRank(x, 4);
        Const w = weight(1, "W");
        if (w.dims().length != 4) {
            throw new Skip("only 2-D convolution is supported (weight is " + w.shapeString() + ")");
        }
        int groups = (int) a.i("group", 1);
        int[] wd = w.intDims();
        if (groups <= 0 || wd[1] * groups != x.shape().c() || wd[0] % groups != 0) {
            throw malformed("inconsistent shapes: weight " + w.shapeString() + " with group " + groups
                    + " does not fit an input with " + x.shape().c() + " channels");
        }
        long[] k = a.ints("kernel_shape", null);
        if (k != null && (k.length != 2 || k[0] != wd[2] || k[1] != wd[3])) {
            throw malformed("kernel_shape " + Arrays.toString(k) + " contradicts weight " + w.shapeString());
        }
        noDilation(a);
        int stride = square(a.ints("strides", new long[] {1, 1}), "strides");
        int pad = padding(a, x.shape(), wd[2], wd[3], stride);
        Const b = optConst(2);
        if (b != null && b.numel() != wd[0]) {
            throw malformed("bias has " + b.numel() + " values for " + wd[0] + " output channels");
        }
        Layer.Conv2d layer = new Layer.Conv2d(x.shape().c(), wd[0], wd[2], wd[3], stride, pad, groups, b != null);
        String name = layer(layer, x);
        setWeight(name, w, wd, 1f);
        if (b != null) {
            params.put(name + ".bias", new Tensor(new int[] {wd[0]}, b.asFloats().clone()));
        }
        define(n.getOutput(0), name, 4);
        biasable.put(n.getOutput(0), nodes.size() - 1);
    }

    private void gemm(NodeProto n, Attrs a) {
        Value x = act(0);
        requireRank(x, 2);
        if (a.i("transA", 0) != 0) {
            throw new Skip("transA=1 is not supported");
        }
        Const w = weight(1, "B");
        if (w.dims().length != 2) {
            throw malformed("B must be 2-D, is " + w.shapeString());
        }
        boolean transB = a.i("transB", 0) != 0;
        int out = (int) (transB ? w.dims()[0] : w.dims()[1]);
        int in = (int) (transB ? w.dims()[1] : w.dims()[0]);
        if (in != x.shape().c()) {
            throw malformed("inconsistent shapes: B " + w.shapeString() + (transB ? " (transB)" : "")
                    + " expects " + in + " input features, the input has " + x.shape().c());
        }
        float alpha = a.f("alpha", 1f);
        float beta = a.f("beta", 1f);
        Const c = optConst(2);
        float[] bias = null;
        if (c != null && beta != 0f) {
            bias = broadcastRow(c, out, "C");
            for (int i = 0; i < out; i++) {
                bias[i] *= beta;
            }
        }
        String name = layer(new Layer.Linear(in, out, bias != null), x);
        if (transB) {
            setWeight(name, w, new int[] {out, in}, alpha);
        } else {
            params.put(name + ".weight", new Tensor(new int[] {out, in}, transpose(w.asFloats(), in, out, alpha)));
        }
        if (bias != null) {
            params.put(name + ".bias", new Tensor(new int[] {out}, bias));
        }
        define(n.getOutput(0), name, 2);
        biasable.put(n.getOutput(0), nodes.size() - 1);
    }

    private void matMul(NodeProto n) {
        Value x = act(0);
        requireRank(x, 2);
        Const w = weight(1, "B");
        if (w.dims().length != 2) {
            throw new Skip("only a 2-D constant right operand is supported, got " + w.shapeString());
        }
        int in = (int) w.dims()[0];
        int out = (int) w.dims()[1];
        if (in != x.shape().c()) {
            throw malformed("inconsistent shapes: B " + w.shapeString() + " expects " + in
                    + " input features, the input has " + x.shape().c());
        }
        String name = layer(new Layer.Linear(in, out, false), x);
        params.put(name + ".weight", new Tensor(new int[] {out, in}, transpose(w.asFloats(), in, out, 1f)));
        define(n.getOutput(0), name, 2);
        biasable.put(n.getOutput(0), nodes.size() - 1);
    }

    private void batchNorm(NodeProto n, Attrs a) {
        Value x = act(0);
        if (a.i("training_mode", 0) != 0) {
            throw new Skip("training_mode=1 (export the model in eval mode)");
        }
        if (a.i("spatial", 1) != 1) {
            throw new Skip("spatial=0 is not supported");
        }
        for (int o = 1; o < n.getOutputCount(); o++) {
            if (!n.getOutput(o).isEmpty() && uses.containsKey(n.getOutput(o))) {
                throw new Skip("running mean/var outputs are used (training graph)");
            }
        }
        int c = x.shape().c();
        String[] what = {"scale", "B", "mean", "var"};
        float[][] p = new float[4][];
        for (int i = 0; i < 4; i++) {
            Const t = weight(i + 1, what[i]);
            if (t.numel() != c) {
                throw malformed("inconsistent shapes: " + what[i] + " has " + t.numel() + " values for " + c + " channels");
            }
            p[i] = t.asFloats().clone();
        }
        String name = layer(new Layer.BatchNorm(c, a.f("epsilon", 1e-5f)), x);
        String[] suffix = {"gamma", "beta", "mean", "var"};
        for (int i = 0; i < 4; i++) {
            params.put(name + "." + suffix[i], new Tensor(new int[] {c}, p[i]));
        }
        define(n.getOutput(0), name, x.rank());
    }

    private void clip(NodeProto n, Attrs a) {
        float lo;
        float hi;
        if (opset < 11) {
            lo = a.f("min", Float.NEGATIVE_INFINITY);
            hi = a.f("max", Float.POSITIVE_INFINITY);
        } else {
            Const min = optConst(1);
            Const max = optConst(2);
            lo = min == null ? Float.NEGATIVE_INFINITY : scalar(min, "min");
            hi = max == null ? Float.POSITIVE_INFINITY : scalar(max, "max");
        }
        if (lo == 0f && hi == 6f) {
            simple(n, new Layer.Relu6());
        } else if (lo == 0f && (hi == Float.POSITIVE_INFINITY || hi >= Float.MAX_VALUE)) {
            simple(n, new Layer.Relu());
        } else {
            throw new Skip("Clip(" + lo + ", " + hi + "): only [0, 6] (ReLU6) and [0, inf) (ReLU) are supported");
        }
    }

    private void pool(NodeProto n, Attrs a) {
        Value x = act(0);
        requireRank(x, 4);
        if (n.getOutputCount() > 1 && uses.containsKey(n.getOutput(1))) {
            throw new Skip("the indices output is used");
        }
        long[] k = a.ints("kernel_shape", null);
        if (k == null || k.length != 2) {
            throw malformed("kernel_shape must list two sizes");
        }
        int kernel = square(k, "kernel_shape");
        noDilation(a);
        int stride = square(a.ints("strides", new long[] {1, 1}), "strides");
        int pad = padding(a, x.shape(), kernel, kernel, stride);
        if (a.i("ceil_mode", 0) != 0) {
            for (int size : new int[] {x.shape().h(), x.shape().w()}) {
                int span = size + 2 * pad - kernel;
                if (span >= 0 && span % stride != 0) {
                    throw new Skip("ceil_mode=1 changes the output size here; only floor rounding is supported");
                }
            }
        }
        boolean max = n.getOpType().equals("MaxPool");
        if (!max && pad > 0 && a.i("count_include_pad", 0) == 0) {
            throw new Skip("padding with count_include_pad=0; only count_include_pad=1 (PyTorch default) is supported");
        }
        Layer layer = max ? new Layer.MaxPool(kernel, stride, pad) : new Layer.AvgPool(kernel, stride, pad);
        define(n.getOutput(0), layer(layer, x), 4);
    }

    private void add(NodeProto n) {
        if (n.getInputCount() != 2) {
            throw malformed("Add needs two inputs");
        }
        boolean c0 = consts.containsKey(n.getInput(0));
        boolean c1 = consts.containsKey(n.getInput(1));
        if (c0 && c1) {
            ConstFolding.fold(this, n, new Attrs(n));
            return;
        }
        if (c0 || c1) {
            addBias(n, c0 ? 1 : 0, consts.get(n.getInput(c0 ? 0 : 1)));
            return;
        }
        Value x = act(0);
        Value y = act(1);
        if (!x.shape().equals(y.shape()) || x.rank() != y.rank()) {
            throw new Skip("broadcasting Add of " + x.shape() + " and " + y.shape() + " is not supported");
        }
        define(n.getOutput(0), layer(new Layer.Add(), x, y), x.rank());
    }

    /** x + constant is only a bias: folded into the Conv/Gemm/MatMul that produced x, if nothing else reads x. */
    private void addBias(NodeProto n, int valueInput, Const c) {
        String src = n.getInput(valueInput);
        Value x = act(valueInput);
        Integer at = biasable.get(src);
        if (at == null || uses.getOrDefault(src, 0) != 1) {
            throw new Skip("Add of a constant is supported only as the bias of the Conv/Gemm/MatMul before it");
        }
        Node producer = nodes.get(at);
        int channels = x.shape().c();
        float[] extra = x.rank() == 2 ? broadcastRow(c, channels, "bias") : channelBias(c, channels, x.rank());
        float[] bias = new float[channels];
        Tensor old = params.get(producer.param("bias"));
        if (old != null) {
            System.arraycopy(old.data(), 0, bias, 0, channels);
        }
        for (int i = 0; i < channels; i++) {
            bias[i] += extra[i];
        }
        Layer l = producer.layer();
        Layer withBias = l instanceof Layer.Conv2d cv
                ? new Layer.Conv2d(cv.inChannels(), cv.outChannels(), cv.kernelH(), cv.kernelW(), cv.stride(),
                        cv.padding(), cv.groups(), true)
                : new Layer.Linear(((Layer.Linear) l).inFeatures(), ((Layer.Linear) l).outFeatures(), true);
        nodes.set(at, new Node(producer.name(), withBias, producer.inputs()));
        params.put(producer.param("bias"), new Tensor(new int[] {channels}, bias));
        values.put(n.getOutput(0), x);
    }

    private void flatten(NodeProto n, Attrs a) {
        Value x = act(0);
        long axis = a.i("axis", 1);
        if (axis < 0) {
            axis += x.rank();
        }
        if (axis != 1) {
            throw new Skip("Flatten with axis=" + a.i("axis", 1) + "; only axis=1 (keep the batch) is supported");
        }
        if (x.rank() == 2) {
            values.put(n.getOutput(0), x);
        } else {
            define(n.getOutput(0), layer(new Layer.Flatten(), x), 2);
        }
    }

    private void reshape(NodeProto n, Attrs a) {
        Value x = act(0);
        long[] shape = constInput(1, "shape").asLongs();
        boolean allowZero = a.i("allowzero", 0) != 0;
        long batch = shape.length > 0 ? shape[0] : Long.MIN_VALUE;
        boolean keepsBatch = batch == -1 || batch == 1 || (batch == 0 && !allowZero);
        int size = x.shape().size();
        if (shape.length == 2 && keepsBatch && (shape[1] == size || (shape[1] == -1 && batch != -1))) {
            if (x.rank() == 2) {
                values.put(n.getOutput(0), x);
            } else {
                define(n.getOutput(0), layer(new Layer.Flatten(), x), 2);
            }
            return;
        }
        Shape s = x.shape();
        if (shape.length == 4 && keepsBatch && shape[1] == s.c() && shape[2] == s.h() && shape[3] == s.w()
                && (x.rank() == 4 || s.isFlat())) {
            values.put(n.getOutput(0), new Value(x.node(), s, 4));
            return;
        }
        throw new Skip("Reshape to " + Arrays.toString(shape) + " of a " + s + " activation; only flattening to"
                + " [N, -1] is supported");
    }

    private void softmax(NodeProto n, Attrs a) {
        Value x = act(0);
        long axis = a.i("axis", opset < 13 ? 1 : -1);
        if (axis < 0) {
            axis += x.rank();
        }
        int[] dims = x.rank() == 2 ? new int[] {x.shape().c()} : x.shape().toArray();
        boolean wholeSample;
        if (opset < 13) {
            wholeSample = axis == 1;
        } else {
            int others = 1;
            for (int d = 0; d < dims.length; d++) {
                others *= d + 1 == axis ? 1 : dims[d];
            }
            wholeSample = axis >= 1 && axis < x.rank() && others == 1;
        }
        if (!wholeSample) {
            throw new Skip("Softmax over axis " + axis + " of a " + x.shape() + " activation; only a softmax over"
                    + " all features of a sample is supported");
        }
        define(n.getOutput(0), layer(new Layer.Softmax(), x), x.rank());
    }

    private void simple(NodeProto n, Layer l) {
        Value x = act(0);
        define(n.getOutput(0), layer(l, x), x.rank());
    }

    private void alias(NodeProto n) {
        String in = n.getInput(0);
        if (consts.containsKey(in)) {
            defineConst(n.getOutput(0), consts.get(in));
        } else {
            values.put(n.getOutput(0), act(0));
        }
    }

    // ---- helpers shared with ConstFolding --------------------------------------------------------

    int opset() {
        return opset;
    }

    NodeProto current() {
        return current;
    }

    boolean isConst(String name) {
        return consts.containsKey(name);
    }

    /** Input {@code i} as a constant; a missing one is malformed, a computed one unsupported. */
    Const constInput(int i, String what) {
        if (i >= current.getInputCount() || current.getInput(i).isEmpty()) {
            throw malformed("input " + what + " is missing");
        }
        String name = current.getInput(i);
        Const c = consts.get(name);
        if (c == null) {
            if (values.containsKey(name)) {
                throw new Skip("input " + what + " ('" + name + "') is computed at run time; it must be a constant");
            }
            throw malformed("reads '" + name + "' (" + what + "), which no initializer, Constant or earlier node defines");
        }
        return c;
    }

    Const optConst(int i) {
        if (i >= current.getInputCount() || current.getInput(i).isEmpty()) {
            return null;
        }
        return constInput(i, "#" + i);
    }

    void defineConst(String name, Const c) {
        consts.put(name, new Const(name, c.dims(), c.dataType(), c.floats(), c.longs()));
    }

    void defineCodes(String name, byte[] values, float[] rowScales, String doc) {
        int bits = 8;
        if (doc != null && doc.contains("frontier:bits=4")) {
            bits = 4;
            for (byte v : values) {
                if (Math.abs(v) > QuantizedTensor.maxCode(4)) {
                    bits = 8;
                    break;
                }
            }
        }
        codes.put(name, new Codes(values, rowScales, bits));
    }

    String constDoc(String name) {
        return constDocs.get(name);
    }

    int[] activationDims(int i) {
        Value x = act(i);
        return x.rank() == 2 ? new int[] {1, x.shape().c()}
                : new int[] {1, x.shape().c(), x.shape().h(), x.shape().w()};
    }

    Skip unsupported(String reason) {
        return new Skip(reason);
    }

    OnnxModelException malformed(String what) {
        return new OnnxModelException("ONNX node " + index + (current.getName().isEmpty() ? "" : " '" + current.getName() + "'")
                + " (" + current.getOpType() + ") " + what);
    }

    private Value act(int i) {
        if (i >= current.getInputCount() || current.getInput(i).isEmpty()) {
            throw malformed("input " + i + " is missing");
        }
        String name = current.getInput(i);
        Value v = values.get(name);
        if (v == null) {
            if (consts.containsKey(name)) {
                throw new Skip("input " + i + " ('" + name + "') is a constant; an activation is expected");
            }
            throw malformed("reads '" + name + "', which no earlier node or graph input defines"
                    + " (nodes must be in topological order)");
        }
        return v;
    }

    private Const weight(int i, String what) {
        Const c = constInput(i, what);
        if (!c.isFloat()) {
            throw malformed("input " + what + " has element type " + OnnxTensors.typeName(c.dataType()) + ", expected float");
        }
        return c;
    }

    private void setWeight(String node, Const w, int[] shape, float alpha) {
        float[] d = w.asFloats().clone();
        if (alpha != 1f) {
            for (int i = 0; i < d.length; i++) {
                d[i] *= alpha;
            }
        }
        String param = node + ".weight";
        params.put(param, new Tensor(shape, d));
        Codes c = codes.get(current.getInput(1));
        if (c != null && alpha == 1f && c.rowScales().length == shape[0]) {
            quantized.put(param, new QuantizedTensor(c.bits(), QuantScheme.SYMMETRIC, shape, c.values(), c.rowScales(),
                    new boolean[shape[0]]));
        }
    }

    private static void requireRank(Value x, int rank) {
        if (x.rank() != rank) {
            throw new Skip("expects a rank-" + rank + " input, got rank " + x.rank() + " (" + x.shape() + ")");
        }
    }

    private static void noDilation(Attrs a) {
        for (long d : a.ints("dilations", new long[0])) {
            if (d != 1) {
                throw new Skip("dilations " + Arrays.toString(a.ints("dilations", null)) + " are not supported");
            }
        }
    }

    private static int square(long[] v, String what) {
        if (v.length != 2 || v[0] != v[1]) {
            throw new Skip(what + " " + Arrays.toString(v) + ": only equal height and width values are supported");
        }
        return Math.toIntExact(v[0]);
    }

    /** One symmetric padding from pads or auto_pad, or a Skip when the IR cannot express it. */
    private static int padding(Attrs a, Shape in, int kh, int kw, int stride) {
        String auto = a.s("auto_pad", "NOTSET");
        switch (auto) {
            case "NOTSET", "" -> {
                long[] p = a.ints("pads", new long[] {0, 0, 0, 0});
                if (p.length != 4 || p[0] != p[1] || p[0] != p[2] || p[0] != p[3]) {
                    throw new Skip("pads " + Arrays.toString(p) + ": only equal padding on all four sides is supported");
                }
                return Math.toIntExact(p[0]);
            }
            case "VALID" -> {
                return 0;
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                int ph = samePad(in.h(), kh, stride);
                int pw = samePad(in.w(), kw, stride);
                if (ph != pw || ph % 2 != 0) {
                    throw new Skip("auto_pad=" + auto + " needs asymmetric padding here");
                }
                return ph / 2;
            }
            default -> throw new Skip("auto_pad=" + auto + " is not supported");
        }
    }

    private static int samePad(int in, int k, int stride) {
        int out = (in + stride - 1) / stride;
        return Math.max(0, (out - 1) * stride + k - in);
    }

    private float scalar(Const c, String what) {
        if (c.numel() != 1) {
            throw malformed(what + " must be a scalar, is " + c.shapeString());
        }
        return c.asFloats()[0];
    }

    /** A Gemm C / MatMul bias of shape [n], [1, n], [1] or [] as n values. */
    private float[] broadcastRow(Const c, int n, String what) {
        float[] v = c.asFloats();
        if (v.length == n && (c.dims().length == 1 || (c.dims().length == 2 && c.dims()[0] == 1))) {
            return v.clone();
        }
        if (v.length == 1) {
            float[] out = new float[n];
            Arrays.fill(out, v[0]);
            return out;
        }
        throw new Skip(what + " of shape " + c.shapeString() + " does not broadcast as a per-feature bias of " + n);
    }

    /** A conv bias added as [C], [C,1,1] or [1,C,1,1] (a constant per channel). */
    private float[] channelBias(Const c, int channels, int rank) {
        long[] d = c.dims();
        boolean perChannel = c.numel() == channels && (d.length == 1 && rank == 2
                || d.length == 3 && d[1] == 1 && d[2] == 1
                || d.length == 4 && d[0] == 1 && d[2] == 1 && d[3] == 1);
        if (perChannel || c.numel() == 1) {
            float[] out = new float[channels];
            float[] v = c.asFloats();
            for (int i = 0; i < channels; i++) {
                out[i] = v.length == 1 ? v[0] : v[i];
            }
            return out;
        }
        throw new Skip("constant of shape " + c.shapeString() + " is not a per-channel bias for " + channels + " channels");
    }

    private static float[] transpose(float[] kByN, int k, int n, float alpha) {
        float[] out = new float[n * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < n; j++) {
                out[j * k + i] = kByN[i * n + j] * alpha;
            }
        }
        return out;
    }

    private String layer(Layer l, Value... inputs) {
        String name = uniqueName(current.getName(), current.getOutput(0));
        List<String> in = Arrays.stream(inputs).map(Value::node).toList();
        List<Shape> inShapes = Arrays.stream(inputs).map(Value::shape).toList();
        Shape out;
        try {
            out = l.outputShape(inShapes);
        } catch (IllegalArgumentException e) {
            throw malformed("has inconsistent shapes: " + e.getMessage());
        }
        nodes.add(new Node(name, l, in));
        shapes.put(name, out);
        return name;
    }

    private void define(String onnxName, String irNode, int rank) {
        values.put(onnxName, new Value(irNode, shapes.get(irNode), rank));
    }

    /** An IR-legal, unique node name from the ONNX node name (or its output name). */
    private String uniqueName(String preferred, String fallback) {
        String raw = preferred == null || preferred.isBlank() ? fallback : preferred;
        String s = raw.replaceAll("^[^A-Za-z0-9_]+", "").replaceAll("[^A-Za-z0-9_.\\-]", "_");
        if (s.isEmpty() || !Character.isLetter(s.charAt(0)) && s.charAt(0) != '_') {
            s = "n_" + s;
        }
        if (s.length() > 56) {
            s = s.substring(s.length() - 56).replaceAll("^[^A-Za-z_]+", "");
            s = s.isEmpty() ? "n" : s;
        }
        String name = s;
        for (int k = 2; !usedNames.add(name); k++) {
            name = s + "_" + k;
        }
        return name;
    }

    private Graph finish() {
        String outName = g.getOutput(0).getName();
        Value out = values.get(outName);
        if (out == null) {
            throw new OnnxModelException("graph output '" + outName + "' is "
                    + (consts.containsKey(outName) ? "a constant" : "not computed by any node"));
        }
        if (out.node().equals(nodes.get(0).name())) {
            throw new OnnxModelException("graph output '" + outName + "' is the input itself; the model computes nothing");
        }
        checkDeclaredOutput(g.getOutput(0), out);
        // keep the ancestors of the output only: the IR's output is its last node
        Map<String, Node> byName = new HashMap<>();
        nodes.forEach(x -> byName.put(x.name(), x));
        Set<String> live = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(out.node()));
        while (!todo.isEmpty()) {
            String x = todo.pop();
            if (live.add(x)) {
                todo.addAll(byName.get(x).inputs());
            }
        }
        List<Node> kept = new ArrayList<>();
        int outAt = -1;
        for (Node x : nodes) {
            if (live.contains(x.name())) {
                kept.add(x);
                if (x.name().equals(out.node())) {
                    outAt = kept.size() - 1;
                }
            }
        }
        if (outAt != kept.size() - 1) {
            throw new IllegalStateException("output is not last after pruning");
        }
        Map<String, Tensor> keptParams = new LinkedHashMap<>();
        Map<String, QuantizedTensor> keptQuant = new LinkedHashMap<>();
        for (Node x : kept) {
            for (String suffix : x.layer().paramShapes().keySet()) {
                String p = x.param(suffix);
                keptParams.put(p, params.get(p));
                if (quantized.containsKey(p)) {
                    keptQuant.put(p, quantized.get(p));
                }
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        for (StringStringEntryProto e : model.getMetadataPropsList()) {
            meta.put(e.getKey(), e.getValue());
        }
        meta.put("imported.from", "onnx");
        meta.put("onnx.opset", Integer.toString(opset));
        if (!model.getProducerName().isEmpty()) {
            meta.put("onnx.producer", (model.getProducerName() + " " + model.getProducerVersion()).trim());
        }
        try {
            return new Graph(kept, keptParams, Map.of(), keptQuant, meta);
        } catch (IllegalArgumentException e) {
            throw new OnnxModelException("the imported graph is inconsistent: " + e.getMessage());
        }
    }

    private static void checkDeclaredOutput(ValueInfoProto decl, Value out) {
        if (!decl.hasType() || !decl.getType().hasTensorType() || !decl.getType().getTensorType().hasShape()) {
            return;
        }
        List<TensorShapeProto.Dimension> dims = decl.getType().getTensorType().getShape().getDimList();
        long declared = 1;
        for (int i = 1; i < dims.size(); i++) {
            if (!dims.get(i).hasDimValue()) {
                return;
            }
            declared *= dims.get(i).getDimValue();
        }
        if (dims.size() < 2 || declared != out.shape().size()) {
            throw new OnnxModelException("inconsistent shapes: graph output '" + decl.getName() + "' is declared with "
                    + dims.size() + " dims and " + declared + " values per sample, but the graph computes "
                    + out.shape() + " = " + out.shape().size());
        }
    }
}
