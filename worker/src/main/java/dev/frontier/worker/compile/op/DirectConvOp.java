package dev.frontier.worker.compile.op;

import dev.frontier.worker.compile.Bindings;
import dev.frontier.worker.compile.Layout;
import dev.frontier.worker.compile.kernel.DirectConvKernel;

/**
 * What the direct convolutions (float and int8) share: the general geometry (groups, strides, valid
 * or padded), the bias, the zero ring they read, a fused activation, MACs and signature.
 */
abstract class DirectConvOp extends Op {
    final int cin;
    final int cout;
    final int groups;
    final int kh;
    final int kw;
    final int stride;
    final int padding;
    final float[] bias;

    DirectConvOp(Header h, int cin, int cout, int groups, int kh, int kw, int stride, int padding, float[] bias) {
        super(h);
        this.cin = cin;
        this.cout = cout;
        this.groups = groups;
        this.kh = kh;
        this.kw = kw;
        this.stride = stride;
        this.padding = padding;
        this.bias = bias;
    }

    public int ringNeeded() {
        return padding;
    }

    boolean depthwise() {
        return groups > 1 && groups == cin && groups == cout;
    }

    public boolean fusesActivation() {
        return true;
    }

    public long macs() {
        return (long) cout * (cin / groups) * kh * kw * outShape().h() * outShape().w();
    }

    public String signature() {
        return kind() + ":" + cin + "->" + cout + ":g" + groups + ":k" + kh + "x" + kw + ":s" + stride + ":p" + padding
                + ":" + outShape().h() + "x" + outShape().w();
    }

    /** The bound geometry; the input's zero ring must cover the padding (taps are not bounds-checked). */
    DirectConvKernel.Geometry geometry(Bindings b) {
        Layout li = b.layout(inputs().get(0));
        if (li.pad() < padding) {
            throw new IllegalStateException(name() + ": input ring " + li.pad() + " < conv padding " + padding);
        }
        return new DirectConvKernel.Geometry(cin, cout, groups, kh, kw, stride, padding, li, b.layout(output()));
    }
}
