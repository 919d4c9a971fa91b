package dev.frontier.worker.compile.op;

import dev.frontier.worker.compile.Bindings;
import dev.frontier.worker.compile.Layout;
import dev.frontier.worker.compile.Step;
import dev.frontier.worker.compile.kernel.EltwiseKernel;
import dev.frontier.worker.compile.kernel.PoolKernel;

/** Weight-free ops (and the per-channel affine left when a batch norm cannot be folded). */
public final class SimpleOps {
    private SimpleOps() {
    }

    public static final class Pool extends Op {
        public static final String KIND = "pool";
        final boolean max;
        final int k;
        final int stride;
        final int pad;

        public Pool(Header h, boolean max, int k, int stride, int pad) {
            super(h);
            this.max = max;
            this.k = k;
            this.stride = stride;
            this.pad = pad;
        }

        public String kind() {
            return KIND;
        }

        public String format() {
            return max ? "maxpool" : "avgpool";
        }

        public int ringNeeded() {
            return pad;
        }

        public Step bind(Bindings b, boolean scalar) {
            Layout li = b.layout(inputs().get(0));
            Layout lo = b.layout(output());
            float[] in = b.buffer(inputs().get(0));
            float[] out = b.buffer(output());
            if (scalar) {
                return step(lo.c(), (f, t) -> PoolKernel.scalar(in, out, li, lo, k, stride, pad, max, f, t));
            }
            int[] rel = PoolKernel.window(li, k);
            return step(lo.c(), (f, t) -> PoolKernel.vector(in, out, li, lo, k, stride, pad, max, rel, f, t));
        }

        protected void writeBody(Bin.Out o) {
            o.i(max ? 1 : 0).i(k).i(stride).i(pad);
        }

        static Pool read(Header h, Bin.In i) {
            return new Pool(h, i.i() != 0, i.i(), i.i(), i.i());
        }
    }

    public static final class GlobalPool extends Op {
        public static final String KIND = "globalpool";

        public GlobalPool(Header h) {
            super(h);
        }

        public String kind() {
            return KIND;
        }

        public Step bind(Bindings b, boolean scalar) {
            Layout li = b.layout(inputs().get(0));
            float[] in = b.buffer(inputs().get(0));
            float[] out = b.buffer(output());
            if (scalar) {
                return step(li.c(), (f, t) -> PoolKernel.globalScalar(in, out, li, f, t));
            }
            return step(li.c(), (f, t) -> PoolKernel.globalVector(in, out, li, f, t));
        }

        protected void writeBody(Bin.Out o) {
        }
    }

    public static final class Add extends Op {
        public static final String KIND = "add";

        public Add(Header h) {
            super(h);
        }

        public String kind() {
            return KIND;
        }

        public boolean fusesActivation() {
            return true;
        }

        public Step bind(Bindings b, boolean scalar) {
            Layout l = b.layout(output());
            if (!l.equals(b.layout(inputs().get(0))) || !l.equals(b.layout(inputs().get(1)))) {
                throw new IllegalStateException(name() + ": add needs equal layouts");
            }
            float[] x = b.buffer(inputs().get(0));
            float[] y = b.buffer(inputs().get(1));
            float[] out = b.buffer(output());
            int plane = l.plane();
            int act = act();
            if (scalar) {
                return step(l.c(), (f, t) -> EltwiseKernel.addScalar(x, y, out, f * plane, t * plane, act));
            }
            return step(l.c(), (f, t) -> EltwiseKernel.addVector(x, y, out, f * plane, t * plane, act));
        }

        protected void writeBody(Bin.Out o) {
        }
    }

    /** Copies the interior into a flat vector (a plain copy when the input has no ring). */
    public static final class Flatten extends Op {
        public static final String KIND = "flatten";

        public Flatten(Header h) {
            super(h);
        }

        public String kind() {
            return KIND;
        }

        public Step bind(Bindings b, boolean scalar) {
            Layout li = b.layout(inputs().get(0));
            float[] in = b.buffer(inputs().get(0));
            float[] out = b.buffer(output());
            return step(1, (f, t) -> li.gather(in, out));
        }

        protected void writeBody(Bin.Out o) {
        }
    }

    public static final class Softmax extends Op {
        public static final String KIND = "softmax";

        public Softmax(Header h) {
            super(h);
        }

        public String kind() {
            return KIND;
        }

        public Step bind(Bindings b, boolean scalar) {
            Layout l = b.layout(inputs().get(0));
            if (l.pad() != 0 || l.h() * l.w() != 1) {
                throw new IllegalStateException(name() + ": softmax over a flat vector only");
            }
            float[] in = b.buffer(inputs().get(0));
            float[] out = b.buffer(output());
            int n = l.c();
            return step(1, (f, t) -> EltwiseKernel.softmax(in, out, n));
        }

        protected void writeBody(Bin.Out o) {
        }
    }

    /** A standalone activation (one that could not be fused into its producer). */
    public static final class Act extends Op {
        public static final String KIND = "activation";
        final int code;

        public Act(Header h, int code) {
            super(h);
            this.code = code;
        }

        public String kind() {
            return KIND;
        }

        public int code() {
            return code;
        }

        public Step bind(Bindings b, boolean scalar) {
            Layout l = b.layout(output());
            float[] in = b.buffer(inputs().get(0));
            float[] out = b.buffer(output());
            int plane = l.plane();
            if (scalar) {
                return step(l.c(), (f, t) -> EltwiseKernel.activationScalar(in, out, f * plane, t * plane, code));
            }
            return step(l.c(), (f, t) -> EltwiseKernel.activationVector(in, out, f * plane, t * plane, code));
        }

        protected void writeBody(Bin.Out o) {
            o.i(code);
        }

        static Act read(Header h, Bin.In i) {
            return new Act(h, i.i());
        }
    }

    /** y = x * scale[c] + shift[c]: a batch norm with no conv or linear to fold into. */
    public static final class Affine extends Op {
        public static final String KIND = "affine";
        final float[] scale;
        final float[] shift;

        public Affine(Header h, float[] scale, float[] shift) {
            super(h);
            this.scale = scale;
            this.shift = shift;
        }

        public String kind() {
            return KIND;
        }

        public boolean fusesActivation() {
            return true;
        }

        public Step bind(Bindings b, boolean scalar) {
            Layout l = b.layout(output());
            float[] in = b.buffer(inputs().get(0));
            float[] out = b.buffer(output());
            int act = act();
            if (scalar) {
                return step(l.c(), (f, t) -> EltwiseKernel.affineScalar(in, out, l, scale, shift, act, f, t));
            }
            return step(l.c(), (f, t) -> EltwiseKernel.affineVector(in, out, l, scale, shift, act, f, t));
        }

        protected void writeBody(Bin.Out o) {
            o.floats(scale).floats(shift);
        }

        static Affine read(Header h, Bin.In i) {
            return new Affine(h, i.floats(), i.floats());
        }
    }
}
