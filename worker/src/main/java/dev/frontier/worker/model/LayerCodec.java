package dev.frontier.worker.model;

import java.util.LinkedHashMap;
import java.util.Map;

/** Layer <-> attribute map, for the model file header and for profiles. */
public final class LayerCodec {
    private LayerCodec() {
    }

    public static Map<String, Object> attributes(Layer layer) {
        Map<String, Object> a = new LinkedHashMap<>();
        if (layer instanceof Layer.Input l) {
            a.put("channels", l.channels());
            a.put("height", l.height());
            a.put("width", l.width());
        } else if (layer instanceof Layer.Conv2d l) {
            a.put("in", l.inChannels());
            a.put("out", l.outChannels());
            a.put("kernelH", l.kernelH());
            a.put("kernelW", l.kernelW());
            a.put("stride", l.stride());
            a.put("padding", l.padding());
            a.put("groups", l.groups());
            a.put("bias", l.bias());
        } else if (layer instanceof Layer.Linear l) {
            a.put("in", l.inFeatures());
            a.put("out", l.outFeatures());
            a.put("bias", l.bias());
        } else if (layer instanceof Layer.BatchNorm l) {
            a.put("channels", l.channels());
            a.put("eps", l.eps());
        } else if (layer instanceof Layer.MaxPool l) {
            pool(a, l.kernel(), l.stride(), l.padding());
        } else if (layer instanceof Layer.AvgPool l) {
            pool(a, l.kernel(), l.stride(), l.padding());
        }
        return a;
    }

    private static void pool(Map<String, Object> a, int kernel, int stride, int padding) {
        a.put("kernel", kernel);
        a.put("stride", stride);
        a.put("padding", padding);
    }

    public static Layer layer(String op, Map<String, ?> a) {
        return switch (op) {
            case "input" -> new Layer.Input(i(a, "channels"), i(a, "height"), i(a, "width"));
            case "conv2d" -> new Layer.Conv2d(i(a, "in"), i(a, "out"), i(a, "kernelH"), i(a, "kernelW"),
                    i(a, "stride"), i(a, "padding"), i(a, "groups"), b(a, "bias"));
            case "linear" -> new Layer.Linear(i(a, "in"), i(a, "out"), b(a, "bias"));
            case "batchnorm" -> new Layer.BatchNorm(i(a, "channels"), f(a, "eps"));
            case "relu" -> new Layer.Relu();
            case "relu6" -> new Layer.Relu6();
            case "maxpool" -> new Layer.MaxPool(i(a, "kernel"), i(a, "stride"), i(a, "padding"));
            case "avgpool" -> new Layer.AvgPool(i(a, "kernel"), i(a, "stride"), i(a, "padding"));
            case "globalavgpool" -> new Layer.GlobalAvgPool();
            case "add" -> new Layer.Add();
            case "flatten" -> new Layer.Flatten();
            case "softmax" -> new Layer.Softmax();
            default -> throw new IllegalArgumentException("unknown layer op '" + op + "'");
        };
    }

    private static Object need(Map<String, ?> a, String k) {
        Object v = a.get(k);
        if (v == null) {
            throw new IllegalArgumentException("missing layer attribute '" + k + "'");
        }
        return v;
    }

    private static int i(Map<String, ?> a, String k) {
        Object v = need(a, k);
        if (!(v instanceof Number n) || n.doubleValue() != n.intValue()) {
            throw new IllegalArgumentException("layer attribute '" + k + "' must be an integer, got " + v);
        }
        return n.intValue();
    }

    private static float f(Map<String, ?> a, String k) {
        Object v = need(a, k);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("layer attribute '" + k + "' must be a number, got " + v);
        }
        return n.floatValue();
    }

    private static boolean b(Map<String, ?> a, String k) {
        Object v = need(a, k);
        if (!(v instanceof Boolean bool)) {
            throw new IllegalArgumentException("layer attribute '" + k + "' must be true or false, got " + v);
        }
        return bool;
    }
}
