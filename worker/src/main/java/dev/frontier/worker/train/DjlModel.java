package dev.frontier.worker.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Mask;
import dev.frontier.worker.model.Tensor;

import java.nio.FloatBuffer;
import java.util.Map;

/**
 * A Graph loaded into DJL (PyTorch engine): the {@link GraphBlock}, its parameters holding copies of
 * the IR's float weights, and the DJL {@link Model} that owns them. Close it to free native memory.
 */
public final class DjlModel implements AutoCloseable {
    private final Graph graph;
    private final Model model;
    private final GraphBlock block;

    private DjlModel(Graph graph, boolean logits) {
        DjlEngine.get();
        this.graph = graph;
        this.model = Model.newInstance("frontier-" + graph.metadata().getOrDefault("arch", "model"), Device.cpu(),
                DjlEngine.ENGINE);
        this.block = new GraphBlock(graph, logits);
        NDManager m = model.getNDManager();
        for (Map.Entry<String, Parameter> e : block.irParameters().entrySet()) {
            Tensor t = graph.param(e.getKey());
            e.getValue().setArray(m.create(t.data(), new ai.djl.ndarray.types.Shape(toLong(t.shape()))));
        }
        model.setBlock(block);
        var s = graph.inputShape();
        block.initialize(m, DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, s.c(), s.h(), s.w()));
    }

    /** Loads {@code graph}'s weights; the output is whatever the graph's last node produces. */
    public static DjlModel of(Graph graph) {
        return new DjlModel(graph, false);
    }

    /** Loads {@code graph} for training: a trailing Softmax is dropped so the output is logits. */
    public static DjlModel forTraining(Graph graph) {
        return new DjlModel(graph, true);
    }

    public Graph graph() {
        return graph;
    }

    public Model model() {
        return model;
    }

    public GraphBlock block() {
        return block;
    }

    public NDManager manager() {
        return model.getNDManager();
    }

    /**
     * Forward of {@code n} images laid out N x C x H x W; returns N x (output size) floats.
     * {@code training} selects batch statistics in batch norm (and updates the running ones).
     */
    public float[] forward(float[] images, int n, boolean training) {
        var s = graph.inputShape();
        return DjlEngine.withoutGrad(() -> {
            try (NDManager batch = manager().newSubManager()) {
                NDArray x = batch.create(images, new ai.djl.ndarray.types.Shape(n, s.c(), s.h(), s.w()));
                NDList out = block.forward(new ParameterStore(batch, false), new NDList(x), training);
                return out.singletonOrThrow().toFloatArray();
            }
        });
    }

    /** Overwrites the DJL parameters with {@code g}'s float weights (same structure as this model). */
    public void load(Graph g) {
        DjlEngine.withoutGrad(() -> {
            for (Map.Entry<String, Parameter> e : block.irParameters().entrySet()) {
                e.getValue().getArray().set(FloatBuffer.wrap(g.param(e.getKey()).data()));
            }
        });
    }

    /**
     * The current DJL weights as a new Graph: same nodes, masks and metadata as the loaded graph;
     * masked weights are zeroed again (exact zeros whatever happened in DJL). Quantized tensors are
     * not carried over: after training they no longer match the float weights, so the caller
     * re-quantizes (the source graph still holds them).
     */
    public Graph toGraph() {
        Graph.Builder b = graph.toBuilder();
        for (Map.Entry<String, Parameter> e : block.irParameters().entrySet()) {
            Tensor t = new Tensor(graph.param(e.getKey()).shape(), e.getValue().getArray().toFloatArray());
            Mask m = graph.mask(e.getKey());
            if (m != null) {
                m.applyTo(t);
            }
            b.param(e.getKey(), t);
        }
        for (String q : graph.quantized().keySet()) {
            b.quantized(q, null);
        }
        return b.build();
    }

    static long[] toLong(int[] shape) {
        long[] l = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            l[i] = shape[i];
        }
        return l;
    }

    @Override
    public void close() {
        model.close();
    }
}
