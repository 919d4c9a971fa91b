package dev.frontier.worker.compile.op;

import dev.frontier.worker.compile.Bindings;
import dev.frontier.worker.compile.Layout;
import dev.frontier.worker.compile.Step;
import dev.frontier.worker.compile.kernel.DenseConvKernel;
import dev.frontier.worker.compile.kernel.DirectConvKernel;
import dev.frontier.worker.compile.kernel.SparseConvKernel;

/** Convolution ops: dense flattened, pattern/connectivity sparse, and direct (strided, grouped, depthwise). */
public final class ConvOps {
    private ConvOps() {
    }

    static void checkSameGeometry(Layout li, Layout lo, String name) {
        if (li.plane() != lo.plane() || li.rowStride() != lo.rowStride()) {
            throw new IllegalStateException(name + ": flattened conv needs equal input and output geometry");
        }
    }

    /** Dense "same" stride-1 convolution; weights canonical [cout][cin][k*k], packed per variant at bind. */
    public static final class Dense extends SameConvOp {
        public static final String KIND = "conv-dense";
        final float[] w;

        public Dense(Header h, int cin, int cout, int k, int pad, float[] w, float[] bias) {
            super(h, cin, cout, k, pad, bias);
            this.w = w;
        }

        public String kind() {
            return KIND;
        }

        public String format() {
            return "dense";
        }

        public int[] variants() {
            return DenseConvKernel.VARIANTS;
        }

        protected int defaultVariant() {
            return 82;
        }

        public Step bind(Bindings b, boolean scalar) {
            Layout li = b.layout(inputs().get(0));
            Layout lo = b.layout(output());
            checkSameGeometry(li, lo, name());
            float[] in = b.buffer(inputs().get(0));
            float[] out = b.buffer(output());
            int[] taps = DenseConvKernel.taps(k, pad, lo.rowStride());
            int[] offs = DenseConvKernel.offsets(taps, cin, li.plane());
            int v = variant();
            int ocb = DenseConvKernel.ocb(v);
            float[] wp = DenseConvKernel.pack(w, cout, cin, k * k, ocb);
            int act = act();
            if (scalar) {
                return step(DenseConvKernel.blocks(cout, v),
                        (f, t) -> DenseConvKernel.scalar(in, out, wp, bias, taps, cin, cout, lo, act, ocb, f, t));
            }
            return step(DenseConvKernel.blocks(cout, v),
                    (f, t) -> DenseConvKernel.vector(in, out, wp, bias, offs, cin, cout, lo, act, v, f, t));
        }

        protected void writeBody(Bin.Out o) {
            o.i(cin).i(cout).i(k).i(pad).floats(w).floats(bias);
        }

        static Dense read(Header h, Bin.In in) {
            return new Dense(h, in.i(), in.i(), in.i(), in.i(), in.floats(), in.floats());
        }
    }

    /**
     * Pattern / connectivity sparse convolution in the compact per-filter format: filters in
     * {@code order} (reordered so equal pattern sets sit together; results are written to the
     * original channel, so consumers see the usual order); per filter, groups of kernels sharing one
     * pattern; per kernel, its input channel and one weight per pattern tap.
     */
    public static final class Sparse extends Op {
        public static final String KIND = "conv-sparse";
        final int cin;
        final int cout;
        final int k;
        final int pad;
        final int[] patterns;
        final int[] order;
        final int[] ocGroups;
        final int[] groupPattern;
        final int[] groupKernels;
        final int[] kernelIc;
        final float[] weights;
        final float[] bias;

        public Sparse(Header h, int cin, int cout, int k, int pad, int[] patterns, int[] order, int[] ocGroups,
                      int[] groupPattern, int[] groupKernels, int[] kernelIc, float[] weights, float[] bias) {
            super(h);
            this.cin = cin;
            this.cout = cout;
            this.k = k;
            this.pad = pad;
            this.patterns = patterns;
            this.order = order;
            this.ocGroups = ocGroups;
            this.groupPattern = groupPattern;
            this.groupKernels = groupKernels;
            this.kernelIc = kernelIc;
            this.weights = weights;
            this.bias = bias;
        }

        public String kind() {
            return KIND;
        }

        public int ringNeeded() {
            return pad;
        }

        String sparseFormat() {
            for (int p : patterns) {
                if (Integer.bitCount(p) != 4) {
                    return "connectivity";
                }
            }
            return "pattern";
        }

        /**
         * Sparse variants 4 / 8 (accumulator vectors), plus the dense kernels on the expanded weights
         * (variants >= 10): when too little was pruned for the sparse kernel to win on this machine,
         * the tuner picks dense. The artifact still stores the compact format.
         */
        public int[] variants() {
            return VARIANTS;
        }

        private static final int[] VARIANTS = {8, 4, 82, 42};

        public boolean fusesActivation() {
            return true;
        }

        public int keptKernels() {
            return kernelIc.length;
        }

        public int[] patterns() {
            return patterns.clone();
        }

        public int[] order() {
            return order.clone();
        }

        public long macs() {
            long taps = 0;
            for (int g = 0; g < groupPattern.length; g++) {
                taps += (long) Integer.bitCount(patterns[groupPattern[g]]) * (groupKernels[g + 1] - groupKernels[g]);
            }
            return taps * outShape().h() * outShape().w();
        }

        public String signature() {
            return KIND + ":" + cin + "->" + cout + ":k" + k + ":" + outShape().h() + "x" + outShape().w()
                    + ":kept" + Math.round(100.0 * kernelIc.length / ((long) cin * cout)) + ":p" + patterns.length;
        }

        /** The canonical [cout][cin][k*k] weights this compact format stands for. */
        float[] denseWeights() {
            int k2 = k * k;
            float[] w = new float[cout * cin * k2];
            int wi = 0;
            for (int i = 0; i < cout; i++) {
                int oc = order[i];
                for (int g = ocGroups[i]; g < ocGroups[i + 1]; g++) {
                    int bits = patterns[groupPattern[g]];
                    for (int q = groupKernels[g]; q < groupKernels[g + 1]; q++) {
                        for (int t = 0; t < k2; t++) {
                            if ((bits >>> t & 1) != 0) {
                                w[(oc * cin + kernelIc[q]) * k2 + t] = weights[wi++];
                            }
                        }
                    }
                }
            }
            return w;
        }

        public String format() {
            return sparseFormat() + (variant() >= 10 ? "(dense kernel)" : "");
        }

        public Step bind(Bindings b, boolean scalar) {
            if (variant() >= 10) {
                Dense d = new Dense(new Header(name(), inputs(), output(), outShape()), cin, cout, k, pad, denseWeights(), bias);
                d.activation(activation());
                d.variant(variant());
                return d.bind(b, scalar);
            }
            Layout li = b.layout(inputs().get(0));
            Layout lo = b.layout(output());
            checkSameGeometry(li, lo, name());
            float[] in = b.buffer(inputs().get(0));
            float[] out = b.buffer(output());
            SparseConvKernel.Bound bound = bound(li, lo, bias, act());
            int v = variant();
            if (scalar) {
                return step(cout, (f, t) -> SparseConvKernel.scalar(in, out, bound, f, t));
            }
            SparseConvKernel.Entries e = SparseConvKernel.expand(bound);
            return step(cout, (f, t) -> SparseConvKernel.vector(in, out, bound, e, v, f, t));
        }

        /** The load-time form of this format over concrete layouts (tap offsets, per-kernel input offsets). */
        SparseConvKernel.Bound bound(Layout li, Layout lo, float[] bias, int act) {
            int[][] taps = new int[patterns.length][];
            for (int p = 0; p < patterns.length; p++) {
                taps[p] = SparseConvKernel.tapsOf(patterns[p], k, pad, lo.rowStride());
            }
            int[] icOff = new int[kernelIc.length];
            int[] kw = new int[kernelIc.length];
            int wi = 0;
            for (int g = 0; g < groupPattern.length; g++) {
                int nt = taps[groupPattern[g]].length;
                for (int q = groupKernels[g]; q < groupKernels[g + 1]; q++) {
                    icOff[q] = kernelIc[q] * li.plane();
                    kw[q] = wi;
                    wi += nt;
                }
            }
            return new SparseConvKernel.Bound(order, ocGroups, groupPattern, groupKernels, icOff, kw, weights, taps,
                    bias, act, lo);
        }

        protected void writeBody(Bin.Out o) {
            o.i(cin).i(cout).i(k).i(pad).ints(patterns).ints(order).ints(ocGroups).ints(groupPattern)
                    .ints(groupKernels).ints(kernelIc).floats(weights).floats(bias);
        }

        static Sparse read(Header h, Bin.In in) {
            return new Sparse(h, in.i(), in.i(), in.i(), in.i(), in.ints(), in.ints(), in.ints(), in.ints(),
                    in.ints(), in.ints(), in.floats(), in.floats());
        }
    }

    /** Any other convolution: strided, valid, grouped, depthwise. */
    public static final class Direct extends DirectConvOp {
        public static final String KIND = "conv-direct";
        final float[] w;

        public Direct(Header h, int cin, int cout, int groups, int kh, int kw, int stride, int padding, float[] w,
                      float[] bias) {
            super(h, cin, cout, groups, kh, kw, stride, padding, bias);
            this.w = w;
        }

        public String kind() {
            return KIND;
        }

        public String format() {
            return depthwise() ? "depthwise" : "direct";
        }

        public Step bind(Bindings b, boolean scalar) {
            DirectConvKernel.Geometry g = geometry(b);
            float[] in = b.buffer(inputs().get(0));
            float[] out = b.buffer(output());
            int act = act();
            if (scalar) {
                return step(cout, (f, t) -> DirectConvKernel.scalar(in, out, w, bias, g, act, f, t));
            }
            DirectConvKernel.Phases p = stride == 1 ? null : DirectConvKernel.Phases.of(g);
            DirectConvKernel.Source at = DirectConvKernel.Source.of(g, p);
            int[] rel = DirectConvKernel.offsets(g, p);
            if (p == null) {
                return step(cout, (f, t) -> DirectConvKernel.rows(in, out, w, bias, g, rel, at, act, f, t));
            }
            float[] phased = new float[p.size()];
            return new Step() {
                public int units() {
                    return cout;
                }

                public void prepare() {
                    p.fill(in, phased);
                }

                public void run(int f, int t) {
                    DirectConvKernel.rows(phased, out, w, bias, g, rel, at, act, f, t);
                }
            };
        }

        protected void writeBody(Bin.Out o) {
            o.i(cin).i(cout).i(groups).i(kh).i(kw).i(stride).i(padding).floats(w).floats(bias);
        }

        static Direct read(Header h, Bin.In in) {
            return new Direct(h, in.i(), in.i(), in.i(), in.i(), in.i(), in.i(), in.i(), in.floats(), in.floats());
        }
    }
}
