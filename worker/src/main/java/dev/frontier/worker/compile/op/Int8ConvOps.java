package dev.frontier.worker.compile.op;

import dev.frontier.worker.compile.Bindings;
import dev.frontier.worker.compile.Layout;
import dev.frontier.worker.compile.Step;
import dev.frontier.worker.compile.kernel.ActivationQuantizer;
import dev.frontier.worker.compile.kernel.DenseConvKernel;
import dev.frontier.worker.compile.kernel.DirectConvKernel;
import dev.frontier.worker.compile.kernel.Int8DirectConvKernel;
import dev.frontier.worker.compile.kernel.Int8DenseConvKernel;
import dev.frontier.worker.compile.kernel.Int8SparseConvKernel;
import dev.frontier.worker.compile.kernel.SparseConvKernel;

/**
 * Int8 convolutions (dense and pattern/connectivity "same" stride-1, and direct: strided, grouped,
 * depthwise, valid): weights stored as int8 codes with one scale per output channel;
 * at the layer's entry the float input is quantized to int8 with the calibrated activation scale
 * (per call from its max |x| when the model carries none); sums are int32; the epilogue dequantizes
 * (sum x weight scale x input scale), adds the bias and applies the activation, so the output is float
 * and the next layer quantizes it again with its own scale.
 */
public final class Int8ConvOps {
    private Int8ConvOps() {
    }

    /** The int8 copy of one input activation (same geometry, ring codes 0) and this call's output scales. */
    static final class QuantizedInput {
        final byte[] codes;
        final float[] outScale;
        private final float[] in;
        private final int n;
        private final float calibrated;
        private final float[] weightScale;
        private final boolean scalar;

        QuantizedInput(float[] in, Layout li, float calibrated, float[] weightScale, boolean scalar) {
            this.in = in;
            this.n = li.span();
            this.codes = new byte[li.allocSize()];
            this.calibrated = calibrated;
            this.weightScale = weightScale;
            this.outScale = new float[weightScale.length];
            this.scalar = scalar;
        }

        void quantize() {
            float sx = calibrated;
            if (!(sx > 0)) {
                float m = ActivationQuantizer.maxAbs(in, n);
                sx = m == 0f ? 1f : m / 127f;
            }
            if (scalar) {
                ActivationQuantizer.scalar(in, n, 1f / sx, codes);
            } else {
                ActivationQuantizer.vector(in, n, 1f / sx, codes);
            }
            for (int oc = 0; oc < outScale.length; oc++) {
                outScale[oc] = weightScale[oc] * sx;
            }
        }

        /** Quantizing is the step's prepare (once per call, before the units are split across threads). */
        Step step(int units, Op.Body body) {
            return step(units, () -> { }, body);
        }

        /** {@code thenPrepare}: more once-per-call work on the codes (e.g. their polyphase copy). */
        Step step(int units, Runnable thenPrepare, Op.Body body) {
            return new Step() {
                public int units() {
                    return units;
                }

                public void prepare() {
                    quantize();
                    thenPrepare.run();
                }

                public void run(int from, int to) {
                    body.run(from, to);
                }
            };
        }
    }

    /** Dense int8 conv; codes canonical [cout][cin][k*k], packed (widened to ints) per variant at bind. */
    public static final class Dense extends SameConvOp {
        public static final String KIND = "conv-int8-dense";
        final byte[] w;
        final float[] weightScale;
        final float inputScale;

        /** {@code inputScale}: the calibrated activation scale (value = code x scale), 0 when uncalibrated. */
        public Dense(Header h, int cin, int cout, int k, int pad, byte[] w, float[] weightScale, float inputScale,
                     float[] bias) {
            super(h, cin, cout, k, pad, bias);
            this.w = w;
            this.weightScale = weightScale;
            this.inputScale = inputScale;
        }

        public String kind() {
            return KIND;
        }

        public String format() {
            return "int8";
        }

        public int[] variants() {
            return Int8DenseConvKernel.VARIANTS;
        }

        public Step bind(Bindings b, boolean scalar) {
            Layout li = b.layout(inputs().get(0));
            Layout lo = b.layout(output());
            ConvOps.checkSameGeometry(li, lo, name());
            float[] out = b.buffer(output());
            QuantizedInput qi = new QuantizedInput(b.buffer(inputs().get(0)), li, inputScale, weightScale, scalar);
            int[] taps = DenseConvKernel.taps(k, pad, lo.rowStride());
            int v = variant();
            int ocb = DenseConvKernel.ocb(v);
            int[] wp = Int8DenseConvKernel.pack(w, cout, cin, k * k, ocb);
            int act = act();
            int blocks = DenseConvKernel.blocks(cout, v);
            if (scalar) {
                return qi.step(blocks, (f, t) -> Int8DenseConvKernel.scalar(qi.codes, out, wp, qi.outScale, bias, taps,
                        cin, cout, lo, act, ocb, f, t));
            }
            int[] offs = DenseConvKernel.offsets(taps, cin, li.plane());
            return qi.step(blocks, (f, t) -> Int8DenseConvKernel.vector(qi.codes, out, wp, qi.outScale, bias, offs,
                    cout, lo, act, v, f, t));
        }

        protected void writeBody(Bin.Out o) {
            o.i(cin).i(cout).i(k).i(pad).bytes(w).floats(weightScale).f(inputScale).floats(bias);
        }

        static Dense read(Header h, Bin.In in) {
            return new Dense(h, in.i(), in.i(), in.i(), in.i(), in.bytes(), in.floats(), in.f(), in.floats());
        }
    }

    /**
     * Int8 pattern / connectivity sparse conv: the compact per-filter format of {@link ConvOps.Sparse}
     * (its float weights hold the int8 codes exactly; stored as bytes) plus per-channel weight scales.
     */
    public static final class Sparse extends Op {
        public static final String KIND = "conv-int8-sparse";
        private static final int[] VARIANTS = {8, 4, 82, 81};
        final ConvOps.Sparse packed;
        final float[] weightScale;
        final float inputScale;

        public Sparse(ConvOps.Sparse packed, float[] weightScale, float inputScale) {
            super(new Header(packed.name(), packed.inputs(), packed.output(), packed.outShape()));
            this.packed = packed;
            this.weightScale = weightScale;
            this.inputScale = inputScale;
        }

        public String kind() {
            return KIND;
        }

        public int ringNeeded() {
            return packed.pad;
        }

        public String format() {
            return "int8-" + packed.sparseFormat() + (variant() >= 10 ? "(dense kernel)" : "");
        }

        /** Sparse kernels with 8 / 4 accumulator vectors, or the int8 dense kernels on the expanded codes. */
        public int[] variants() {
            return VARIANTS;
        }

        public boolean fusesActivation() {
            return true;
        }

        public long macs() {
            return packed.macs();
        }

        public String signature() {
            return KIND + packed.signature().substring(ConvOps.Sparse.KIND.length());
        }

        public Step bind(Bindings b, boolean scalar) {
            float[] bias = packed.bias;
            if (variant() >= 10) {
                Dense d = new Dense(new Header(name(), inputs(), output(), outShape()), packed.cin, packed.cout,
                        packed.k, packed.pad, toCodes(packed.denseWeights()), weightScale, inputScale, bias);
                d.activation(activation());
                d.variant(variant());
                return d.bind(b, scalar);
            }
            Layout li = b.layout(inputs().get(0));
            Layout lo = b.layout(output());
            ConvOps.checkSameGeometry(li, lo, name());
            float[] out = b.buffer(output());
            QuantizedInput qi = new QuantizedInput(b.buffer(inputs().get(0)), li, inputScale, weightScale, scalar);
            int act = act();
            int[] order = packed.order;
            Int8SparseConvKernel.Entries e = Int8SparseConvKernel.Entries.of(
                    SparseConvKernel.expand(packed.bound(li, lo, bias, act)));
            int v = variant();
            if (scalar) {
                return qi.step(packed.cout, (f, t) -> Int8SparseConvKernel.scalar(qi.codes, out, order, e, qi.outScale,
                        bias, act, lo, f, t));
            }
            return qi.step(packed.cout, (f, t) -> Int8SparseConvKernel.vector(qi.codes, out, order, e, qi.outScale,
                    bias, act, lo, v, f, t));
        }

        protected void writeBody(Bin.Out o) {
            ConvOps.Sparse p = packed;
            o.i(p.cin).i(p.cout).i(p.k).i(p.pad).ints(p.patterns).ints(p.order).ints(p.ocGroups).ints(p.groupPattern)
                    .ints(p.groupKernels).ints(p.kernelIc).bytes(toCodes(p.weights)).floats(weightScale).f(inputScale)
                    .floats(p.bias);
        }

        static Sparse read(Header h, Bin.In in) {
            int cin = in.i();
            int cout = in.i();
            int k = in.i();
            int pad = in.i();
            int[] patterns = in.ints();
            int[] order = in.ints();
            int[] ocGroups = in.ints();
            int[] groupPattern = in.ints();
            int[] groupKernels = in.ints();
            int[] kernelIc = in.ints();
            byte[] codes = in.bytes();
            float[] weightScale = in.floats();
            float inputScale = in.f();
            float[] bias = in.floats();
            float[] w = new float[codes.length];
            for (int i = 0; i < w.length; i++) {
                w[i] = codes[i];
            }
            return new Sparse(new ConvOps.Sparse(h, cin, cout, k, pad, patterns, order, ocGroups, groupPattern,
                    groupKernels, kernelIc, w, bias), weightScale, inputScale);
        }
    }

    /** Any other convolution (strided, grouped, depthwise, valid) with int8 codes [cout][cin/groups][kh][kw]. */
    public static final class Direct extends DirectConvOp {
        public static final String KIND = "conv-int8-direct";
        final byte[] w;
        final float[] weightScale;
        final float inputScale;

        public Direct(Header h, int cin, int cout, int groups, int kh, int kw, int stride, int padding, byte[] w,
                      float[] weightScale, float inputScale, float[] bias) {
            super(h, cin, cout, groups, kh, kw, stride, padding, bias);
            this.w = w;
            this.weightScale = weightScale;
            this.inputScale = inputScale;
        }

        public String kind() {
            return KIND;
        }

        public String format() {
            return depthwise() ? "int8-depthwise" : "int8-direct";
        }

        public Step bind(Bindings b, boolean scalar) {
            DirectConvKernel.Geometry g = geometry(b);
            float[] out = b.buffer(output());
            QuantizedInput qi = new QuantizedInput(b.buffer(inputs().get(0)), g.li(), inputScale, weightScale, scalar);
            int[] wi = new int[w.length];
            for (int i = 0; i < wi.length; i++) {
                wi[i] = w[i];
            }
            int act = act();
            if (scalar) {
                return qi.step(cout, (f, t) -> Int8DirectConvKernel.scalar(qi.codes, out, wi, qi.outScale, bias, g, act,
                        f, t));
            }
            DirectConvKernel.Phases p = stride == 1 ? null : DirectConvKernel.Phases.of(g);
            DirectConvKernel.Source at = DirectConvKernel.Source.of(g, p);
            int[] rel = DirectConvKernel.offsets(g, p);
            byte[] src = p == null ? qi.codes : new byte[p.size()];
            Runnable phase = p == null ? () -> { } : () -> p.fill(qi.codes, src);
            return qi.step(cout, phase, (f, t) -> Int8DirectConvKernel.rows(src, out, wi, qi.outScale, bias, g, rel, at,
                    act, f, t));
        }

        protected void writeBody(Bin.Out o) {
            o.i(cin).i(cout).i(groups).i(kh).i(kw).i(stride).i(padding).bytes(w).floats(weightScale).f(inputScale)
                    .floats(bias);
        }

        static Direct read(Header h, Bin.In in) {
            return new Direct(h, in.i(), in.i(), in.i(), in.i(), in.i(), in.i(), in.i(), in.bytes(), in.floats(), in.f(),
                    in.floats());
        }
    }

    /** Float values that are exact int8 codes -> bytes. */
    static byte[] toCodes(float[] w) {
        byte[] c = new byte[w.length];
        for (int i = 0; i < w.length; i++) {
            c[i] = (byte) (int) w[i];
        }
        return c;
    }
}
