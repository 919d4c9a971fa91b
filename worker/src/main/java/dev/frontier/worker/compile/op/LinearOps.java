package dev.frontier.worker.compile.op;

import dev.frontier.worker.compile.Bindings;
import dev.frontier.worker.compile.Step;
import dev.frontier.worker.compile.kernel.LinearKernel;

/** Fully connected ops: dense, block-sparse, int8. Inputs are flat values (no zero ring). */
public final class LinearOps {
    private LinearOps() {
    }

    public static final class Dense extends Op {
        public static final String KIND = "linear-dense";
        final int in;
        final int out;
        final float[] w;
        final float[] bias;

        public Dense(Header h, int in, int out, float[] w, float[] bias) {
            super(h);
            this.in = in;
            this.out = out;
            this.w = w;
            this.bias = bias;
        }

        public String kind() {
            return KIND;
        }

        public String format() {
            return "dense";
        }

        public boolean fusesActivation() {
            return true;
        }

        public long macs() {
            return (long) in * out;
        }

        public String signature() {
            return KIND + ":" + in + "->" + out;
        }

        public Step bind(Bindings b, boolean scalar) {
            float[] x = b.buffer(inputs().get(0));
            float[] y = b.buffer(output());
            int act = act();
            int units = (out + 3) / 4;
            if (scalar) {
                return step(units, (f, t) -> LinearKernel.denseScalar(x, y, w, bias, in, out, act, f * 4, t * 4));
            }
            return step(units, (f, t) -> LinearKernel.denseVector(x, y, w, bias, in, out, act, f * 4, t * 4));
        }

        protected void writeBody(Bin.Out o) {
            o.i(in).i(out).floats(w).floats(bias);
        }

        static Dense read(Header h, Bin.In i) {
            return new Dense(h, i.i(), i.i(), i.floats(), i.floats());
        }
    }

    /** Block-sparse: see {@link LinearKernel.Blocks}; only kept columns are stored and multiplied. */
    public static final class Block extends Op {
        public static final String KIND = "linear-block";
        final int in;
        final int out;
        final int rowsPerBlock;
        final int[] colStart;
        final int[] cols;
        final float[] w;
        final float[] bias;

        public Block(Header h, int in, int out, int rowsPerBlock, int[] colStart, int[] cols, float[] w, float[] bias) {
            super(h);
            this.in = in;
            this.out = out;
            this.rowsPerBlock = rowsPerBlock;
            this.colStart = colStart;
            this.cols = cols;
            this.w = w;
            this.bias = bias;
        }

        public String kind() {
            return KIND;
        }

        public String format() {
            return "block";
        }

        public boolean fusesActivation() {
            return true;
        }

        public int rowsPerBlock() {
            return rowsPerBlock;
        }

        public long macs() {
            long m = 0;
            for (int b = 0; b + 1 < colStart.length; b++) {
                m += (long) (colStart[b + 1] - colStart[b]) * Math.min(rowsPerBlock, out - b * rowsPerBlock);
            }
            return m;
        }

        public String signature() {
            return KIND + ":" + in + "->" + out + ":r" + rowsPerBlock + ":kept" + Math.round(100.0 * macs() / ((long) in * out));
        }

        public Step bind(Bindings b, boolean scalar) {
            float[] x = b.buffer(inputs().get(0));
            float[] y = b.buffer(output());
            LinearKernel.Blocks bl = new LinearKernel.Blocks(rowsPerBlock, colStart, cols, w);
            int act = act();
            if (scalar) {
                return step(bl.blocks(), (f, t) -> LinearKernel.blockScalar(x, y, bl, bias, out, act, f, t));
            }
            return step(bl.blocks(), (f, t) -> LinearKernel.blockVector(x, y, bl, bias, out, act, f, t));
        }

        protected void writeBody(Bin.Out o) {
            o.i(in).i(out).i(rowsPerBlock).ints(colStart).ints(cols).floats(w).floats(bias);
        }

        static Block read(Header h, Bin.In i) {
            return new Block(h, i.i(), i.i(), i.i(), i.ints(), i.ints(), i.floats(), i.floats());
        }
    }

    /** Symmetric per-row int8 weights (rows padded to the vector byte length) and float row scales. */
    public static final class Int8 extends Op {
        public static final String KIND = "linear-int8";
        final int in;
        final int out;
        final int padded;
        final byte[] w;
        final float[] scales;
        final float[] bias;

        public Int8(Header h, int in, int out, int padded, byte[] w, float[] scales, float[] bias) {
            super(h);
            this.in = in;
            this.out = out;
            this.padded = padded;
            this.w = w;
            this.scales = scales;
            this.bias = bias;
        }

        public String kind() {
            return KIND;
        }

        public String format() {
            return "int8";
        }

        public boolean fusesActivation() {
            return true;
        }

        public long macs() {
            return (long) in * out;
        }

        public String signature() {
            return KIND + ":" + in + "->" + out;
        }

        public Step bind(Bindings b, boolean scalar) {
            float[] x = b.buffer(inputs().get(0));
            float[] y = b.buffer(output());
            byte[] xq = new byte[padded];
            float[] sx = new float[1];
            int act = act();
            int units = (out + 3) / 4;
            return new Step() {
                public int units() {
                    return units;
                }

                public void prepare() {
                    sx[0] = LinearKernel.quantizeInput(x, in, xq);
                }

                public void run(int f, int t) {
                    if (scalar) {
                        LinearKernel.int8Scalar(xq, sx[0], y, w, scales, bias, padded, out, act, f * 4, t * 4);
                    } else {
                        LinearKernel.int8Vector(xq, sx[0], y, w, scales, bias, padded, out, act, f * 4, t * 4);
                    }
                }
            };
        }

        protected void writeBody(Bin.Out o) {
            o.i(in).i(out).i(padded).bytes(w).floats(scales).floats(bias);
        }

        static Int8 read(Header h, Bin.In i) {
            return new Int8(h, i.i(), i.i(), i.i(), i.bytes(), i.floats(), i.floats());
        }
    }
}
