package dev.frontier.worker.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.frontier.worker.cli.Args;
import dev.frontier.worker.cli.CompressCommand;
import dev.frontier.worker.cli.UsageException;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Mask;
import dev.frontier.worker.model.ModelFile;
import dev.frontier.worker.model.Zoo;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Gradual pruning and distillation through the CLI, on real Fashion-MNIST (a few steps each). */
class GradualCompressCommandTest {
    private static final String MILD = "{\"default\": {\"prune\": {\"scheme\": \"pattern\", \"connectivity\": 0.25}}}";
    private static final String FINAL = "{\"default\": {\"prune\": {\"scheme\": \"pattern\", \"connectivity\": 0.5}}}";

    @TempDir
    Path dir;

    @Test
    void secondStageKeepsTheFirstStagesZerosAndReachesTheFinalRate() throws Exception {
        Path model = dir.resolve("vgg.frir");
        ModelFile.write(Zoo.vgg(1, 10), model);
        int code = new CompressCommand().run(Args.parse(new String[] {"--model", model.toString(),
                "--gradual-from", MILD, "--gradual-epochs", "0.01", "--config", FINAL, "--fine-tune-epochs", "0.01",
                "--distill", "--threads", "1", "--eval-subset", "200",
                "--out", dir.resolve("out.frir").toString(), "--report", dir.resolve("r.json").toString()}));
        assertThat(code).isZero();

        Graph out = ModelFile.read(dir.resolve("out.frir"));
        Graph oneShot = Compressor.compress(Zoo.vgg(1, 10), FINAL).graph();
        for (String w : new String[] {"conv1.weight", "conv3.weight", "conv5.weight"}) {
            Mask m = out.mask(w);
            assertThat(m.keptCount()).as(w).isEqualTo(oneShot.mask(w).keptCount());
            float[] data = out.param(w).data();
            for (int i = 0; i < data.length; i++) {
                if (!m.keep()[i]) {
                    assertThat(data[i]).as("%s[%d]", w, i).isZero();
                }
            }
        }
        JsonNode r = JsonMapper.builder().build().readTree(Files.readString(dir.resolve("r.json")));
        JsonNode gradual = r.get("gradual");
        assertThat(gradual.get("epochs").doubleValue()).isEqualTo(0.01);
        assertThat(gradual.get("keptParams").longValue()).isGreaterThan(r.get("keptParams").longValue());
        assertThat(gradual.get("accuracy").isNumber()).isTrue();
        assertThat(r.get("fineTune").get("distillation").get("temperature").doubleValue()).isEqualTo(4.0);
        assertThat(r.get("fineTune").get("distillation").get("weight").doubleValue()).isEqualTo(0.9);
    }

    @Test
    void badGradualSettingsAreUsageErrors() throws Exception {
        Path model = dir.resolve("vgg.frir");
        ModelFile.write(Zoo.vgg(1, 10), model);
        assertThatThrownBy(() -> new CompressCommand().run(Args.parse(new String[] {"--model", model.toString(),
                "--gradual-from", "{\"layers\": {\"nope\": {\"prune\": {\"scheme\": \"pattern\"}}}}", "--config", FINAL,
                "--out", dir.resolve("o.frir").toString(), "--no-eval"})))
                .isInstanceOf(UsageException.class).hasMessageContaining("--gradual-from: ").hasMessageContaining("nope");
        assertThatThrownBy(() -> new CompressCommand().run(Args.parse(new String[] {"--model", model.toString(),
                "--gradual-from", MILD, "--gradual-epochs", "0", "--config", FINAL,
                "--out", dir.resolve("o.frir").toString(), "--no-eval"})))
                .isInstanceOf(UsageException.class).hasMessageContaining("--gradual-epochs");
        assertThatThrownBy(() -> new CompressCommand().run(Args.parse(new String[] {"--model", model.toString(),
                "--config", FINAL, "--distill", "--distill-weight", "2",
                "--out", dir.resolve("o.frir").toString(), "--no-eval"})))
                .isInstanceOf(UsageException.class).hasMessageContaining("--distill-weight");
    }
}
