package dev.frontier.worker.onnx;

import dev.frontier.worker.measure.LatencyProtocol;
import dev.frontier.worker.measure.LatencyResult;
import dev.frontier.worker.model.Graph;

import java.util.Random;

/**
 * Batch-1 ONNX Runtime CPU latency of a graph, under the same protocol as Frontier's runtime and
 * the PyTorch baseline: the graph is exported to ONNX, run with {@code threads} intra-op threads
 * (one inter-op thread, sequential execution, all graph optimisations) on a fixed random input.
 */
public final class OrtLatency {
    private OrtLatency() {
    }

    public static LatencyResult measure(Graph g, int threads, LatencyProtocol.Options o) {
        try (OrtModel m = OrtModel.of(g, threads)) {
            return measure(m, threads, o);
        }
    }

    /** Times an open session (e.g. one per thread count, measured in several interleaved rounds). */
    public static LatencyResult measure(OrtModel m, int threads, LatencyProtocol.Options o) {
        float[] in = new float[m.inputSize()];
        Random r = new Random(7);
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) r.nextGaussian();
        }
        return LatencyProtocol.measure(m.timedRun(in), threads, o);
    }
}
