package dev.frontier.worker.model;

import java.util.HashMap;
import java.util.Map;

/**
 * The plainest possible forward pass of a graph (batch 1, float, loops straight from the
 * definitions). It is the ground truth the compiled runtime and the DJL bridge are checked against;
 * it is never used for timing.
 */
public final class ReferenceInterpreter {
    private final Graph graph;

    public ReferenceInterpreter(Graph graph) {
        this.graph = graph;
    }

    /** Returns the output node's activation for one input laid out as C x H x W. */
    public float[] forward(float[] input) {
        return forwardAll(input).get(graph.output().name());
    }

    /** Every node's activation, by node name. */
    public Map<String, float[]> forwardAll(float[] input) {
        if (input.length != graph.inputShape().size()) {
            throw new IllegalArgumentException("input has " + input.length + " values, model expects "
                    + graph.inputShape() + " = " + graph.inputShape().size());
        }
        Map<String, float[]> acts = new HashMap<>();
        for (Node n : graph.nodes()) {
            Shape out = graph.shape(n.name());
            float[] x = n.inputs().isEmpty() ? input : acts.get(n.inputs().get(0));
            Shape in = n.inputs().isEmpty() ? out : graph.shape(n.inputs().get(0));
            float[] y;
            Layer l = n.layer();
            if (l instanceof Layer.Input) {
                y = input.clone();
            } else if (l instanceof Layer.Conv2d c) {
                y = conv(c, n, x, in, out);
            } else if (l instanceof Layer.Linear f) {
                y = linear(f, n, x);
            } else if (l instanceof Layer.BatchNorm b) {
                y = batchNorm(b, n, x, in);
            } else if (l instanceof Layer.Relu) {
                y = x.clone();
                for (int i = 0; i < y.length; i++) {
                    y[i] = Math.max(0f, y[i]);
                }
            } else if (l instanceof Layer.Relu6) {
                y = x.clone();
                for (int i = 0; i < y.length; i++) {
                    y[i] = Math.min(6f, Math.max(0f, y[i]));
                }
            } else if (l instanceof Layer.MaxPool p) {
                y = pool(x, in, out, p.kernel(), p.stride(), p.padding(), true);
            } else if (l instanceof Layer.AvgPool p) {
                y = pool(x, in, out, p.kernel(), p.stride(), p.padding(), false);
            } else if (l instanceof Layer.GlobalAvgPool) {
                y = globalAverage(x, in);
            } else if (l instanceof Layer.Add) {
                float[] z = acts.get(n.inputs().get(1));
                y = x.clone();
                for (int i = 0; i < y.length; i++) {
                    y[i] += z[i];
                }
            } else if (l instanceof Layer.Flatten) {
                y = x.clone();
            } else if (l instanceof Layer.Softmax) {
                y = softmax(x);
            } else {
                throw new IllegalStateException("unhandled layer " + l.op());
            }
            acts.put(n.name(), y);
        }
        return acts;
    }

    private float[] conv(Layer.Conv2d c, Node n, float[] x, Shape in, Shape out) {
        float[] w = graph.param(n.weightName()).data();
        float[] bias = c.bias() ? graph.param(n.param("bias")).data() : null;
        int inPerGroup = c.inChannels() / c.groups();
        int outPerGroup = c.outChannels() / c.groups();
        float[] y = new float[out.size()];
        for (int oc = 0; oc < c.outChannels(); oc++) {
            int g = oc / outPerGroup;
            for (int oy = 0; oy < out.h(); oy++) {
                for (int ox = 0; ox < out.w(); ox++) {
                    double s = bias == null ? 0 : bias[oc];
                    for (int ic = 0; ic < inPerGroup; ic++) {
                        int inC = g * inPerGroup + ic;
                        for (int ky = 0; ky < c.kernelH(); ky++) {
                            int iy = oy * c.stride() - c.padding() + ky;
                            if (iy < 0 || iy >= in.h()) {
                                continue;
                            }
                            for (int kx = 0; kx < c.kernelW(); kx++) {
                                int ix = ox * c.stride() - c.padding() + kx;
                                if (ix < 0 || ix >= in.w()) {
                                    continue;
                                }
                                s += w[((oc * inPerGroup + ic) * c.kernelH() + ky) * c.kernelW() + kx]
                                        * x[(inC * in.h() + iy) * in.w() + ix];
                            }
                        }
                    }
                    y[(oc * out.h() + oy) * out.w() + ox] = (float) s;
                }
            }
        }
        return y;
    }

    private float[] linear(Layer.Linear f, Node n, float[] x) {
        float[] w = graph.param(n.weightName()).data();
        float[] bias = f.bias() ? graph.param(n.param("bias")).data() : null;
        float[] y = new float[f.outFeatures()];
        for (int o = 0; o < y.length; o++) {
            double s = bias == null ? 0 : bias[o];
            for (int i = 0; i < f.inFeatures(); i++) {
                s += w[o * f.inFeatures() + i] * x[i];
            }
            y[o] = (float) s;
        }
        return y;
    }

    private float[] batchNorm(Layer.BatchNorm b, Node n, float[] x, Shape in) {
        float[] gamma = graph.param(n.param("gamma")).data();
        float[] beta = graph.param(n.param("beta")).data();
        float[] mean = graph.param(n.param("mean")).data();
        float[] var = graph.param(n.param("var")).data();
        float[] y = new float[x.length];
        int plane = in.h() * in.w();
        for (int c = 0; c < b.channels(); c++) {
            double scale = gamma[c] / Math.sqrt(var[c] + b.eps());
            for (int i = 0; i < plane; i++) {
                y[c * plane + i] = (float) ((x[c * plane + i] - mean[c]) * scale + beta[c]);
            }
        }
        return y;
    }

    private static float[] pool(float[] x, Shape in, Shape out, int k, int stride, int pad, boolean max) {
        float[] y = new float[out.size()];
        for (int c = 0; c < out.c(); c++) {
            for (int oy = 0; oy < out.h(); oy++) {
                for (int ox = 0; ox < out.w(); ox++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            int iy = oy * stride - pad + ky;
                            int ix = ox * stride - pad + kx;
                            boolean inside = iy >= 0 && iy < in.h() && ix >= 0 && ix < in.w();
                            float v = inside ? x[(c * in.h() + iy) * in.w() + ix] : 0f;
                            if (max) {
                                if (inside) {
                                    acc = Math.max(acc, v);
                                }
                            } else {
                                acc += v;
                            }
                        }
                    }
                    y[(c * out.h() + oy) * out.w() + ox] = (float) (max ? acc : acc / (k * k));
                }
            }
        }
        return y;
    }

    private static float[] globalAverage(float[] x, Shape in) {
        int plane = in.h() * in.w();
        float[] y = new float[in.c()];
        for (int c = 0; c < in.c(); c++) {
            double s = 0;
            for (int i = 0; i < plane; i++) {
                s += x[c * plane + i];
            }
            y[c] = (float) (s / plane);
        }
        return y;
    }

    private static float[] softmax(float[] x) {
        double m = Double.NEGATIVE_INFINITY;
        for (float v : x) {
            m = Math.max(m, v);
        }
        double sum = 0;
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            double e = Math.exp(x[i] - m);
            y[i] = (float) e;
            sum += e;
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (y[i] / sum);
        }
        return y;
    }
}
