package dev.frontier.worker.compile;

import dev.frontier.worker.model.Zoo;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class TunerTest {

    @Test
    void tunesOncePerDeviceAndLayerSignatureThenReadsTheCache(@TempDir Path dir) throws Exception {
        Tuner.Cache cache = new Tuner.Cache(dir);
        Plan first = FrontierCompiler.compile(Zoo.lenet5(1, 10), new FrontierCompiler.Options(true, 1, cache));
        assertThat(cache.file()).exists();
        String json = Files.readString(cache.file());
        assertThat(json).contains(Tuner.deviceFingerprint()).contains("conv-dense");
        long t0 = System.nanoTime();
        Plan second = FrontierCompiler.compile(Zoo.lenet5(1, 10), new FrontierCompiler.Options(true, 1, new Tuner.Cache(dir)));
        assertThat((System.nanoTime() - t0) / 1e6).isLessThan(2000);
        assertThat(second.metadata().get("tuning")).isEqualTo(first.metadata().get("tuning"));
        for (int i = 0; i < first.ops().size(); i++) {
            assertThat(second.ops().get(i).variant()).isEqualTo(first.ops().get(i).variant());
        }
    }
}
