package dev.frontier.worker.bench;

import ai.djl.pytorch.jni.JniUtils;
import dev.frontier.worker.measure.LatencyProtocol;
import dev.frontier.worker.measure.LatencyResult;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.train.DjlModel;

/**
 * PyTorch (through DJL, the train package's IR -> DJL block) running the same weights batch 1: the
 * baseline every speedup is quoted against. Intra-op threads are set per measurement.
 */
public final class TorchBaseline implements AutoCloseable {
    private final DjlModel model;
    private final float[] input;

    public TorchBaseline(Graph g) {
        this.model = DjlModel.of(g);
        this.input = new float[g.inputShape().size()];
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) r.nextGaussian();
        }
    }

    public float[] forward(float[] x) {
        return model.forward(x, 1, false);
    }

    public LatencyResult measure(int threads, LatencyProtocol.Options o) {
        JniUtils.setNumThreads(threads);
        return LatencyProtocol.measure(() -> model.forward(input, 1, false), threads, o);
    }

    @Override
    public void close() {
        model.close();
    }
}
