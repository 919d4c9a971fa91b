package dev.frontier.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.frontier.worker.data.Datasets;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Mask;
import dev.frontier.worker.model.Tensor;
import dev.frontier.worker.model.Zoo;

/**
 * The worker agent fine-tunes on its own thread, where PyTorch starts with grad mode on: masked
 * fine-tuning must work there too, and keep pruned weights exactly zero.
 */
class MaskedFineTuneThreadTest {

    @Test
    void maskedFineTuningWorksOffTheMainThread() throws Exception {
        Graph g = Zoo.lenet5(5, 10);
        Tensor w = g.param("conv2.weight");
        boolean[] keep = new boolean[w.size()];
        for (int i = 0; i < keep.length; i += 2) {
            keep[i] = true;
        }
        Mask mask = new Mask(w.shape(), keep);
        Tensor masked = w.copy();
        mask.applyTo(masked);
        Graph pruned = g.toBuilder().param("conv2.weight", masked).mask("conv2.weight", mask).build();

        AtomicReference<Object> out = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                out.set(Trainer.train(pruned, Datasets.fashionMnist().train().subset(512),
                        TrainConfig.fineTune(1).withBatchSize(64), null));
            } catch (Throwable e) {
                out.set(e);
            }
        }, "fresh-thread");
        t.start();
        t.join(120_000);
        assertThat(out.get()).isInstanceOf(Graph.class);
        float[] trained = ((Graph) out.get()).param("conv2.weight").data();
        int moved = 0;
        for (int i = 0; i < trained.length; i++) {
            if (!keep[i]) {
                assertThat(trained[i]).isZero();
            } else if (trained[i] != masked.data()[i]) {
                moved++;
            }
        }
        assertThat(moved).as("kept weights are trained").isPositive();
    }
}
