package dev.frontier.worker.compile.op;

import dev.frontier.worker.compile.Activation;
import dev.frontier.worker.compile.Bindings;
import dev.frontier.worker.compile.Step;
import dev.frontier.worker.model.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * One operation of a compiled plan: reads named values, writes one, owns its (packed) weights.
 * The common fields are edited by passes (activation fusion, tuning); the weights never change once
 * packed. {@link #bind} turns it into a {@link Step} over concrete buffers.
 */
public abstract class Op {
    private final String name;
    private List<String> inputs;
    private String output;
    private final Shape outShape;
    private Activation activation = Activation.NONE;
    private int variant;
    private boolean parallel = true;

    protected Op(String name, List<String> inputs, String output, Shape outShape) {
        this.name = name;
        this.inputs = List.copyOf(inputs);
        this.output = output;
        this.outShape = outShape;
        this.variant = defaultVariant();
    }

    /** Wire tag of the op type. */
    public abstract String kind();

    /** Kernel format shown in reports: dense, pattern, connectivity, block, int8, ... */
    public String format() {
        return kind();
    }

    /** Multiply-accumulates actually executed (pruned ones excluded). */
    public long macs() {
        return 0;
    }

    /** Kernel variants the tuner may time; the first is the default. */
    public int[] variants() {
        return new int[] {0};
    }

    protected int defaultVariant() {
        return variants()[0];
    }

    /** Zero ring its input layout must have (padding it reads without bounds checks). */
    public int ringNeeded() {
        return 0;
    }

    /** Whether an activation may be folded into this op's epilogue. */
    public boolean fusesActivation() {
        return false;
    }

    public abstract Step bind(Bindings b, boolean scalar);

    protected abstract void writeBody(Bin.Out out);

    /** Short description of the layer for signatures and reports (shapes, sparsity). */
    public String signature() {
        return kind() + ":" + outShape + ":" + String.join(",", inputs.stream().map(x -> "?").toList());
    }

    public String name() {
        return name;
    }

    public List<String> inputs() {
        return inputs;
    }

    public void inputs(List<String> in) {
        this.inputs = List.copyOf(in);
    }

    public String output() {
        return output;
    }

    public void output(String out) {
        this.output = out;
    }

    public Shape outShape() {
        return outShape;
    }

    public Activation activation() {
        return activation;
    }

    public void activation(Activation a) {
        if (a != Activation.NONE && !fusesActivation()) {
            throw new IllegalArgumentException(kind() + " cannot fuse " + a);
        }
        this.activation = a;
    }

    protected int act() {
        return activation.ordinal();
    }

    public int variant() {
        return variant;
    }

    public void variant(int v) {
        for (int c : variants()) {
            if (c == v) {
                this.variant = v;
                return;
            }
        }
        throw new IllegalArgumentException(kind() + " has no variant " + v);
    }

    public boolean parallel() {
        return parallel;
    }

    public void parallel(boolean p) {
        this.parallel = p;
    }

    // ---- codec ----

    public final void write(Bin.Out out) {
        out.s(kind()).s(name).i(inputs.size());
        inputs.forEach(out::s);
        out.s(output).i(outShape.c()).i(outShape.h()).i(outShape.w())
                .i(activation.ordinal()).i(variant).i(parallel ? 1 : 0);
        writeBody(out);
    }

    /**
     * Only the packed weights and op-specific fields, as {@link #write} stores them after the common
     * header: for readers (the native backend) that take the header from the getters.
     */
    public final void writeBodyTo(Bin.Out out) {
        writeBody(out);
    }

    public static Op read(Bin.In in) {
        String kind = in.s();
        String name = in.s();
        int n = in.i();
        List<String> inputs = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            inputs.add(in.s());
        }
        String output = in.s();
        Shape shape = new Shape(in.i(), in.i(), in.i());
        Activation act = Activation.values()[in.i()];
        int variant = in.i();
        boolean parallel = in.i() != 0;
        Header h = new Header(name, inputs, output, shape);
        Op op = switch (kind) {
            case ConvOps.Dense.KIND -> ConvOps.Dense.read(h, in);
            case ConvOps.Sparse.KIND -> ConvOps.Sparse.read(h, in);
            case ConvOps.Direct.KIND -> ConvOps.Direct.read(h, in);
            case Int8ConvOps.Dense.KIND -> Int8ConvOps.Dense.read(h, in);
            case Int8ConvOps.Sparse.KIND -> Int8ConvOps.Sparse.read(h, in);
            case Int8ConvOps.Direct.KIND -> Int8ConvOps.Direct.read(h, in);
            case LinearOps.Dense.KIND -> LinearOps.Dense.read(h, in);
            case LinearOps.Block.KIND -> LinearOps.Block.read(h, in);
            case LinearOps.Int8.KIND -> LinearOps.Int8.read(h, in);
            case SimpleOps.Pool.KIND -> SimpleOps.Pool.read(h, in);
            case SimpleOps.GlobalPool.KIND -> new SimpleOps.GlobalPool(h);
            case SimpleOps.Add.KIND -> new SimpleOps.Add(h);
            case SimpleOps.Flatten.KIND -> new SimpleOps.Flatten(h);
            case SimpleOps.Softmax.KIND -> new SimpleOps.Softmax(h);
            case SimpleOps.Act.KIND -> SimpleOps.Act.read(h, in);
            case SimpleOps.Affine.KIND -> SimpleOps.Affine.read(h, in);
            default -> throw new IllegalArgumentException("unknown op kind '" + kind + "'");
        };
        if (act != Activation.NONE) {
            op.activation(act);
        }
        op.variant(variant);
        op.parallel(parallel);
        return op;
    }

    /** The common fields, as read back or as given by a lowering pass. */
    public record Header(String name, List<String> inputs, String output, Shape shape) {
    }

    protected Op(Header h) {
        this(h.name(), h.inputs(), h.output(), h.shape());
    }

    /** A step whose units are a plain loop over a kernel call. */
    protected interface Body {
        void run(int from, int to);
    }

    protected static Step step(int units, Body body) {
        return new Step() {
            public int units() {
                return units;
            }

            public void run(int from, int to) {
                body.run(from, to);
            }
        };
    }
}
