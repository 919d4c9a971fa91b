package dev.frontier.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontier.worker.data.Datasets;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Zoo;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped demo baseline loads, has the zoo's vgg structure, and is as good as its sidecar says. */
class BaselinesTest {
    @Test
    void demoModelIsTheTrainedVgg() {
        Graph g = Baselines.demoModel();
        assertThat(g.nodes()).isEqualTo(Zoo.vgg(0, 10).nodes());
        assertThat(g.masks()).isEmpty();
        assertThat(g.metadata()).containsEntry("arch", "vgg").containsEntry("train.dataset", "fashion-mnist");

        Map<String, Object> info = Baselines.demoInfo();
        assertThat(info).containsKeys("arch", "dataset", "epochs", "seed", "command", "testAccuracy", "trainSeconds");
        assertThat(Baselines.demoTestAccuracy()).isGreaterThanOrEqualTo(92.0);

        // a 2000-image slice of the test split keeps this quick; the full figure is in the sidecar
        double acc = Evaluator.accuracy(g, Datasets.resolve("fashion-mnist").test().subset(2000));
        assertThat(acc).isGreaterThan(90.0);
    }
}
