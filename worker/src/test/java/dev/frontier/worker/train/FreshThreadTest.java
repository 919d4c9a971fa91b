package dev.frontier.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontier.worker.data.Datasets;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Zoo;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The agent runs on its own threads, where PyTorch starts in grad mode: inference and loading work there. */
class FreshThreadTest {
    @Test
    void evaluateForwardAndLoadOnANewThread() throws Exception {
        Graph g = Zoo.lenet5(2, 10);
        Graph other = Zoo.lenet5(3, 10);
        var test = Datasets.resolve("fashion-mnist").test().subset(256);
        double expected = Evaluator.accuracy(g, test);
        CompletableFuture<double[]> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (DjlModel m = DjlModel.of(other)) {
                m.load(g);
                double acc = Evaluator.accuracy(m, test, 64);
                float[] y = m.forward(test.image(0), 1, false);
                assertThat(ai.djl.pytorch.jni.JniUtils.isGradMode()).isTrue(); // restored for the caller
                f.complete(new double[] {acc, y.length});
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "agent-like");
        t.start();
        double[] r = f.get(120, TimeUnit.SECONDS);
        assertThat(r[0]).isEqualTo(expected);
        assertThat(r[1]).isEqualTo(10);
    }
}
