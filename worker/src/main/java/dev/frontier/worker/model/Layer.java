package dev.frontier.worker.model;

import java.util.List;
import java.util.Map;

/**
 * The operations of the IR. Each knows its output shape, the parameters it owns and its cost.
 * Parameters are named {@code <node>.<suffix>}; see {@link #paramShapes}.
 */
public sealed interface Layer {

    /** Wire name used in the model file and in profiles. */
    String op();

    Shape outputShape(List<Shape> inputs);

    /** Parameter suffix -> shape, in a fixed order. Empty for parameter-free layers. */
    default Map<String, int[]> paramShapes() {
        return Map.of();
    }

    /** Multiply-accumulates for one input (batch 1), dense. */
    default long macs(List<Shape> inputs, Shape output) {
        return 0;
    }

    default int arity() {
        return 1;
    }

    private static Shape single(List<Shape> in, Layer l) {
        if (in.size() != 1) {
            throw new IllegalArgumentException(l.op() + " takes one input, got " + in.size());
        }
        return in.get(0);
    }

    private static int outDim(int in, int k, int stride, int pad, String what) {
        int out = (in + 2 * pad - k) / stride + 1;
        if (in + 2 * pad < k || out <= 0) {
            throw new IllegalArgumentException(what + ": kernel " + k + " does not fit input " + in + " with padding " + pad);
        }
        return out;
    }

    record Input(int channels, int height, int width) implements Layer {
        public String op() { return "input"; }
        public int arity() { return 0; }
        public Shape outputShape(List<Shape> inputs) { return new Shape(channels, height, width); }
    }

    /** 2-D convolution; weight [out, in/groups, kh, kw]. groups == in == out is depthwise. */
    record Conv2d(int inChannels, int outChannels, int kernelH, int kernelW, int stride, int padding, int groups,
                  boolean bias) implements Layer {
        public Conv2d {
            if (inChannels <= 0 || outChannels <= 0 || kernelH <= 0 || kernelW <= 0 || stride <= 0 || padding < 0
                    || groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0) {
                throw new IllegalArgumentException("invalid conv2d: in=" + inChannels + " out=" + outChannels
                        + " k=" + kernelH + "x" + kernelW + " stride=" + stride + " pad=" + padding + " groups=" + groups);
            }
        }

        public String op() { return "conv2d"; }

        public boolean isDepthwise() { return groups > 1 && groups == inChannels && groups == outChannels; }

        public boolean is3x3() { return kernelH == 3 && kernelW == 3; }

        public Shape outputShape(List<Shape> inputs) {
            Shape in = single(inputs, this);
            if (in.c() != inChannels) {
                throw new IllegalArgumentException("conv2d expects " + inChannels + " input channels, got " + in.c());
            }
            return new Shape(outChannels, outDim(in.h(), kernelH, stride, padding, "conv2d"),
                    outDim(in.w(), kernelW, stride, padding, "conv2d"));
        }

        public Map<String, int[]> paramShapes() {
            int[] w = {outChannels, inChannels / groups, kernelH, kernelW};
            return bias ? orderedMap("weight", w, "bias", new int[] {outChannels}) : orderedMap("weight", w);
        }

        public long macs(List<Shape> inputs, Shape out) {
            return (long) out.size() * (inChannels / groups) * kernelH * kernelW;
        }
    }

    /** Fully connected; weight [out, in]. Its input must be flat. */
    record Linear(int inFeatures, int outFeatures, boolean bias) implements Layer {
        public Linear {
            if (inFeatures <= 0 || outFeatures <= 0) {
                throw new IllegalArgumentException("invalid linear: " + inFeatures + " -> " + outFeatures);
            }
        }

        public String op() { return "linear"; }

        public Shape outputShape(List<Shape> inputs) {
            Shape in = single(inputs, this);
            if (!in.isFlat() || in.c() != inFeatures) {
                throw new IllegalArgumentException("linear expects a flat input of " + inFeatures + ", got " + in);
            }
            return Shape.features(outFeatures);
        }

        public Map<String, int[]> paramShapes() {
            int[] w = {outFeatures, inFeatures};
            return bias ? orderedMap("weight", w, "bias", new int[] {outFeatures}) : orderedMap("weight", w);
        }

        public long macs(List<Shape> inputs, Shape out) {
            return (long) inFeatures * outFeatures;
        }
    }

    /** Inference-form batch norm: y = gamma * (x - mean) / sqrt(var + eps) + beta, per channel. */
    record BatchNorm(int channels, float eps) implements Layer {
        public String op() { return "batchnorm"; }

        public Shape outputShape(List<Shape> inputs) {
            Shape in = single(inputs, this);
            if (in.c() != channels) {
                throw new IllegalArgumentException("batchnorm expects " + channels + " channels, got " + in.c());
            }
            return in;
        }

        public Map<String, int[]> paramShapes() {
            int[] s = {channels};
            return orderedMap("gamma", s, "beta", s, "mean", s, "var", s);
        }
    }

    record Relu() implements Layer {
        public String op() { return "relu"; }
        public Shape outputShape(List<Shape> inputs) { return single(inputs, this); }
    }

    record Relu6() implements Layer {
        public String op() { return "relu6"; }
        public Shape outputShape(List<Shape> inputs) { return single(inputs, this); }
    }

    record MaxPool(int kernel, int stride, int padding) implements Layer {
        public String op() { return "maxpool"; }
        public Shape outputShape(List<Shape> inputs) {
            Shape in = single(inputs, this);
            return new Shape(in.c(), outDim(in.h(), kernel, stride, padding, "maxpool"),
                    outDim(in.w(), kernel, stride, padding, "maxpool"));
        }
    }

    /** Average pool; padded positions count as zeros in the average (PyTorch's count_include_pad). */
    record AvgPool(int kernel, int stride, int padding) implements Layer {
        public String op() { return "avgpool"; }
        public Shape outputShape(List<Shape> inputs) {
            Shape in = single(inputs, this);
            return new Shape(in.c(), outDim(in.h(), kernel, stride, padding, "avgpool"),
                    outDim(in.w(), kernel, stride, padding, "avgpool"));
        }
    }

    record GlobalAvgPool() implements Layer {
        public String op() { return "globalavgpool"; }
        public Shape outputShape(List<Shape> inputs) { return Shape.features(single(inputs, this).c()); }
    }

    /** Element-wise sum of two inputs of the same shape (residual connections). */
    record Add() implements Layer {
        public String op() { return "add"; }
        public int arity() { return 2; }
        public Shape outputShape(List<Shape> inputs) {
            if (inputs.size() != 2 || !inputs.get(0).equals(inputs.get(1))) {
                throw new IllegalArgumentException("add needs two inputs of one shape, got " + inputs);
            }
            return inputs.get(0);
        }
    }

    record Flatten() implements Layer {
        public String op() { return "flatten"; }
        public Shape outputShape(List<Shape> inputs) { return Shape.features(single(inputs, this).size()); }
    }

    record Softmax() implements Layer {
        public String op() { return "softmax"; }
        public Shape outputShape(List<Shape> inputs) { return single(inputs, this); }
    }

    private static Map<String, int[]> orderedMap(Object... kv) {
        java.util.LinkedHashMap<String, int[]> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (int[]) kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
