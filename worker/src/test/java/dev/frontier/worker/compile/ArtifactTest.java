package dev.frontier.worker.compile;

import dev.frontier.worker.bench.VariantMaker;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.InvalidModelException;
import dev.frontier.worker.model.ModelFile;
import dev.frontier.worker.model.Zoo;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArtifactTest {

    @Test
    void roundTripsExactlyAndRunsIdentically(@TempDir Path dir) {
        for (String arch : Zoo.ARCHITECTURES) {
            Graph g = VariantMaker.blockLinear(VariantMaker.patternConnectivity(Zoo.create(arch, 1, 10), 8, 8), 4, 16, 0.5);
            Plan plan = FrontierCompiler.compile(g, FrontierCompiler.Options.untuned());
            byte[] bytes = Artifact.toBytes(plan);
            Path f = dir.resolve(arch + Artifact.EXTENSION);
            Artifact.write(plan, f);
            Plan back = Artifact.read(f);
            assertThat(Artifact.toBytes(back)).as(arch).isEqualTo(bytes);
            float[] x = TestGraphs.input(g, 3);
            try (Executor a = new Executor(plan, 1, false); Executor b = new Executor(back, 1, false)) {
                assertThat(b.run(x)).isEqualTo(a.run(x));
            }
            Map<String, Object> header = Artifact.readHeader(bytes);
            @SuppressWarnings("unchecked")
            Map<String, Object> meta = (Map<String, Object>) header.get("metadata");
            assertThat(meta.get("sourceSha256")).isEqualTo(Artifact.sha256(ModelFile.toBytes(g)));
            assertThat((String) meta.get("compression")).isNotEmpty();
        }
    }

    /** Version 1 (before the int8 conv ops) encoded every other op as today: such files still load. */
    @Test
    void versionOneArtifactsStillLoadAndUnknownVersionsAreRejected() {
        Graph g = VariantMaker.patternConnectivity(Zoo.vgg(1, 10), 8, 8);
        byte[] bytes = Artifact.toBytes(FrontierCompiler.compile(g, FrontierCompiler.Options.untuned()));
        assertThat(java.nio.ByteBuffer.wrap(bytes, 4, 4).getInt()).isEqualTo(Artifact.VERSION);
        Plan v1 = Artifact.fromBytes(withVersion(bytes, 1));
        float[] x = TestGraphs.input(g, 3);
        try (Executor a = new Executor(Artifact.fromBytes(bytes), 1, false); Executor b = new Executor(v1, 1, false)) {
            assertThat(b.run(x)).isEqualTo(a.run(x));
        }
        for (int bad : new int[] {0, Artifact.VERSION + 1}) {
            assertThatThrownBy(() -> Artifact.fromBytes(withVersion(bytes, bad))).isInstanceOf(InvalidModelException.class)
                    .hasMessageContaining("artifact version " + bad + " is not supported")
                    .hasMessageContaining("recompile");
        }
    }

    /**
     * A real version-1 artifact, written by the runtime before the int8 conv ops (commit 9ae34f1): dense,
     * pattern-sparse and strided convs, max pool, int8 and dense linear. It still loads and computes what
     * that runtime computed (the strided conv now sums with FMAs, hence a tolerance, not equality).
     */
    @Test
    void artifactWrittenByTheVersionOneRuntimeStillRuns() throws Exception {
        byte[] bytes;
        List<String> expected;
        try (var in = ArtifactTest.class.getResourceAsStream("/artifacts/v1-small.fart");
             var exp = ArtifactTest.class.getResourceAsStream("/artifacts/v1-small.expected")) {
            bytes = in.readAllBytes();
            expected = new String(exp.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).lines().toList();
        }
        assertThat(java.nio.ByteBuffer.wrap(bytes, 4, 4).getInt()).isEqualTo(1);
        Plan plan = Artifact.fromBytes(bytes);
        assertThat(plan.ops().stream().map(o -> o.kind()).toList()).contains("conv-dense", "conv-sparse", "conv-direct",
                "pool", "linear-int8", "linear-dense");
        float[] x = new float[plan.inputLayout().shape().size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.37) * 2f;
        }
        float[] want = new float[expected.size()];
        for (int i = 0; i < want.length; i++) {
            want[i] = Float.intBitsToFloat(Integer.parseInt(expected.get(i).trim()));
        }
        for (boolean scalar : new boolean[] {false, true}) {
            try (Executor ex = new Executor(plan, 1, scalar)) {
                TestGraphs.assertClose(ex.run(x), want, 1e-5, "v1 artifact" + (scalar ? " scalar" : ""));
            }
        }
    }

    /** The same artifact re-labelled with another format version (checksum recomputed). */
    static byte[] withVersion(byte[] bytes, int version) {
        byte[] b = bytes.clone();
        java.nio.ByteBuffer.wrap(b).putInt(4, version);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b, 0, b.length - 8);
        java.nio.ByteBuffer.wrap(b).putLong(b.length - 8, crc.getValue());
        return b;
    }

    @Test
    void corruptOrForeignBytesAreRejected() {
        byte[] bytes = Artifact.toBytes(FrontierCompiler.compile(Zoo.lenet5(1, 10), FrontierCompiler.Options.untuned()));
        assertThatThrownBy(() -> Artifact.fromBytes(Arrays.copyOf(bytes, bytes.length - 9)))
                .isInstanceOf(InvalidModelException.class);
        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 1;
        assertThatThrownBy(() -> Artifact.fromBytes(flipped)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("checksum");
        assertThatThrownBy(() -> Artifact.fromBytes(ModelFile.toBytes(Zoo.lenet5(1, 10))))
                .isInstanceOf(InvalidModelException.class).hasMessageContaining("magic");
    }
}
