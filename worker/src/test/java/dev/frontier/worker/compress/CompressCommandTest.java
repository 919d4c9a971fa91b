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
import dev.frontier.worker.model.ModelFile;
import dev.frontier.worker.model.Zoo;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The CLI without a dataset: no evaluation, no fine-tuning, no calibration. */
class CompressCommandTest {
    @TempDir
    Path dir;

    @Test
    void compressesAModelFileAndWritesTheReport() throws Exception {
        Path model = dir.resolve("vgg.frir");
        ModelFile.write(Zoo.vgg(1, 10), model);
        Path cfg = dir.resolve("c.json");
        Files.writeString(cfg, "{\"default\": {\"prune\": {\"scheme\": \"pattern\", \"connectivity\": 0.5},"
                + " \"quantize\": {\"bits\": 8, \"scheme\": \"symmetric\"}}}");
        int code = new CompressCommand().run(Args.parse(new String[] {"--model", model.toString(), "--config", cfg.toString(),
                "--out", dir.resolve("out.frir").toString(), "--report", dir.resolve("r.json").toString(), "--no-eval",
                "--calibrate", "0"}));
        assertThat(code).isZero();
        Graph out = ModelFile.read(dir.resolve("out.frir"));
        assertThat(out.masks()).containsKeys("conv1.weight", "conv5.weight");
        assertThat(out.quantized()).containsKeys("conv1.weight", "fc2.weight");
        JsonNode r = JsonMapper.builder().build().readTree(Files.readString(dir.resolve("r.json")));
        assertThat(r.get("layers").size()).isEqualTo(7);
        assertThat(r.get("layers").get(1).get("sparsity").doubleValue()).isCloseTo(1 - 4.0 / 9 / 2, org.assertj.core.data.Offset.offset(0.01));
        assertThat(r.get("accuracy").isNull()).isTrue();
    }

    @Test
    void badConfigIsAUsageError() throws Exception {
        Path model = dir.resolve("lenet.frir");
        ModelFile.write(Zoo.lenet5(1, 10), model);
        assertThatThrownBy(() -> new CompressCommand().run(Args.parse(new String[] {"--model", model.toString(),
                "--config", "{\"layers\": {\"conv1\": {\"prune\": {\"scheme\": \"pattern\"}}}}",
                "--out", dir.resolve("o.frir").toString(), "--no-eval"})))
                .isInstanceOf(UsageException.class).hasMessageContaining("--config: ").hasMessageContaining("5x5");
        assertThatThrownBy(() -> new CompressCommand().run(Args.parse(new String[] {"--model", model.toString(),
                "--config", dir.resolve("missing.json").toString(), "--out", dir.resolve("o.frir").toString()})))
                .isInstanceOf(UsageException.class).hasMessageContaining("no file at");
    }
}
