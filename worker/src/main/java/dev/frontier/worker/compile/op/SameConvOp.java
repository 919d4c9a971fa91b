package dev.frontier.worker.compile.op;

/**
 * What the dense "same" stride-1 convolutions (float and int8) share: geometry, bias, the zero ring
 * they read without bounds checks, a fused activation, and MACs / signature from the geometry.
 */
abstract class SameConvOp extends Op {
    final int cin;
    final int cout;
    final int k;
    final int pad;
    final float[] bias;

    SameConvOp(Header h, int cin, int cout, int k, int pad, float[] bias) {
        super(h);
        this.cin = cin;
        this.cout = cout;
        this.k = k;
        this.pad = pad;
        this.bias = bias;
    }

    public int ringNeeded() {
        return pad;
    }

    public boolean fusesActivation() {
        return true;
    }

    public long macs() {
        return (long) cout * cin * k * k * outShape().h() * outShape().w();
    }

    public String signature() {
        return kind() + ":" + cin + "->" + cout + ":k" + k + ":" + outShape().h() + "x" + outShape().w();
    }
}
