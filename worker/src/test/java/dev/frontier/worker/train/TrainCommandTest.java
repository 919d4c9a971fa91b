package dev.frontier.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.frontier.worker.cli.Args;
import dev.frontier.worker.cli.TrainCommand;
import dev.frontier.worker.cli.UsageException;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.ModelFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class TrainCommandTest {
    @TempDir
    Path dir;

    private static int run(String... argv) {
        return new TrainCommand().run(Args.parse(argv));
    }

    @Test
    void trainsWritesTheModelAndEndsWithJson() {
        Path out = dir.resolve("lenet.frir");
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = run("--arch", "lenet5", "--dataset", "fashion-mnist", "--epochs", "0.5", "--train-subset", "1024",
                    "--eval-subset", "300", "--seed", "3", "--batch", "64", "--lr", "0.003", "--out", out.toString(),
                    "--json");
        } finally {
            System.setOut(old);
        }
        assertThat(code).isZero();
        String[] lines = buf.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(lines[0]).startsWith("training lenet5");
        assertThat(String.join("\n", lines)).contains("epoch 1/1");
        Map<String, Object> json = JsonMapper.builder().build().readValue(lines[lines.length - 1],
                new tools.jackson.core.type.TypeReference<Map<String, Object>>() {
                });
        assertThat(json.keySet().stream().map(String::valueOf).toList()).contains("arch", "epochs", "trainSeconds", "testAccuracy", "params", "out");
        assertThat(json.get("arch")).isEqualTo("lenet5");
        assertThat(((Number) json.get("testAccuracy")).doubleValue()).isGreaterThan(30);
        Graph g = ModelFile.read(out);
        assertThat(((Number) json.get("params")).longValue()).isEqualTo(g.paramCount());
        assertThat(g.metadata()).containsEntry("train.seed", "3").containsKey("train.command").containsKey("input.std");
    }

    @Test
    void helpNamesEveryOption() {
        assertThat(new TrainCommand().help()).contains("--arch", "--dataset", "--epochs", "--out", "--seed", "--batch",
                "--lr", "--json", "vgg");
    }

    @Test
    void badInputIsAUsageError() {
        String out = dir.resolve("m.frir").toString();
        assertThatThrownBy(() -> run("--arch", "alexnet", "--epochs", "1", "--out", out))
                .isInstanceOf(UsageException.class).hasMessageContaining("unknown --arch 'alexnet'");
        assertThatThrownBy(() -> run("--arch", "vgg", "--out", out)).isInstanceOf(UsageException.class)
                .hasMessageContaining("--epochs");
        assertThatThrownBy(() -> run("--arch", "vgg", "--epochs", "-1", "--out", out))
                .isInstanceOf(UsageException.class).hasMessageContaining("--epochs must be");
        assertThatThrownBy(() -> run("--arch", "vgg", "--epochs", "x", "--out", out))
                .isInstanceOf(UsageException.class).hasMessageContaining("must be a number");
        assertThatThrownBy(() -> run("--arch", "vgg", "--epochs", "1", "--out", out, "--batch", "1"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--batch");
        assertThatThrownBy(() -> run("--arch", "vgg", "--epochs", "1", "--out", out, "--optimizer", "rmsprop"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--optimizer");
        assertThatThrownBy(() -> run("--arch", "vgg", "--epochs", "1", "--out", out, "--epoch", "3"))
                .isInstanceOf(UsageException.class).hasMessageContaining("unknown option --epoch");
        assertThatThrownBy(() -> run("--arch", "vgg", "--epochs", "1", "--out", "/no/such/dir/m.frir"))
                .isInstanceOf(UsageException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> run("--arch", "vgg", "--epochs", "1", "--out", out, "--dataset", "nope"))
                .isInstanceOf(UsageException.class).hasMessageContaining("unknown dataset 'nope'");
    }
}
