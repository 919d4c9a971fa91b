package dev.frontier.worker.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.frontier.worker.agent.AgentConfig;
import dev.frontier.worker.agent.ArtifactCache;
import dev.frontier.worker.agent.CoordinatorClient;
import dev.frontier.worker.agent.EngineTaskExecutor;
import dev.frontier.worker.agent.Lease;
import dev.frontier.worker.agent.Progress;
import dev.frontier.worker.agent.TaskFailure;
import dev.frontier.worker.compress.Compressor;
import dev.frontier.worker.compress.InvalidConfigException;
import dev.frontier.worker.data.DatasetException;
import dev.frontier.worker.data.IdxFile;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.ModelFile;
import dev.frontier.worker.model.Zoo;

/**
 * Bad input on the worker's side, through the same code path a lease takes: model files that are
 * malformed, truncated, of the wrong type or absurdly large fail as INVALID_MODEL (not retryable);
 * a download that does not hash to its name is refused and never cached; IDX files that lie about
 * their size are refused; configurations with impossible values or unknown layers are INVALID_CONFIG.
 */
class BadInputTest {
    @TempDir
    Path tmp;
    private HttpServer server;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private CoordinatorClient client;

    @BeforeEach
    void fakeCoordinator() throws IOException {
        // only the artifact download is needed; the name (sha256) says which bytes to serve
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/api/v1/artifacts/", ex -> {
            byte[] b = served.get(ex.getRequestURI().getPath().substring("/api/v1/artifacts/".length()));
            if (b == null) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.sendResponseHeaders(200, b.length);
                ex.getResponseBody().write(b);
            }
            ex.close();
        });
        server.start();
        client = new CoordinatorClient("http://localhost:" + server.getAddress().getPort(), null, 2, java.time.Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private EngineTaskExecutor executor() {
        AgentConfig cfg = new AgentConfig("http://unused", null, null, List.of("build"), tmp.resolve("work"), 1, 1, 60, 0, 1, 100, 100);
        return new EngineTaskExecutor(cfg, client);
    }

    private static Lease profileLease(String sha) {
        return new Lease("lease-1", "PROFILE", 1, null, null, "model-1", sha, null, null, null, 0, null, null, 1);
    }

    private static byte[] lenetBytes() throws IOException {
        Graph g = Zoo.lenet5(1, 10);
        return ModelFile.toBytes(g);
    }

    @Test
    void malformedTruncatedWrongTypeAndOversizedModelsFailAsInvalidModel() throws Exception {
        byte[] good = lenetBytes();
        List<byte[]> bad = new ArrayList<>();
        Random r = new Random(5);
        for (double cut : new double[] {0.001, 0.01, 0.1, 0.5, 0.9, 0.999}) bad.add(Arrays.copyOf(good, Math.max(1, (int) (good.length * cut))));
        for (int i = 0; i < 12; i++) {
            byte[] flipped = good.clone();
            int at = 4 + r.nextInt(Math.min(200, flipped.length - 4)); // headers and counts, where lies hurt most
            flipped[at] = (byte) (flipped[at] ^ (1 << r.nextInt(8)) ^ 0x7f);
            bad.add(flipped);
        }
        byte[] noise = new byte[4096];
        r.nextBytes(noise);
        bad.add(noise);
        bad.add("not a model at all".getBytes(StandardCharsets.UTF_8));
        bad.add("{\"layers\": [\"conv1\"]}".getBytes(StandardCharsets.UTF_8));
        bad.add(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13});
        bad.add(new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0});
        bad.add(new byte[] {0x08, 0x07, 0x12, 0x7f, 0x7f, 0x7f, 0x7f, 0x0f}); // protobuf-ish, length far past the end
        byte[] hugeCounts = Arrays.copyOf(good, 64);
        Arrays.fill(hugeCounts, 4, 64, (byte) 0x7f); // FRIR magic, then counts and sizes of ~2^31
        bad.add(hugeCounts);
        byte[] wrongMagicGoodBody = good.clone();
        wrongMagicGoodBody[0] = 'X';
        bad.add(wrongMagicGoodBody);

        EngineTaskExecutor executor = executor();
        List<String> problems = new ArrayList<>();
        int invalid = 0;
        for (byte[] b : bad) {
            String sha = ArtifactCache.sha256(b);
            served.put(sha, b);
            Throwable t = catchThrowable(() -> executor.execute(profileLease(sha), Progress.NONE));
            if (t == null) continue; // a flipped bit in a weight value is still a valid model
            if (t instanceof TaskFailure f && f.kind().equals("INVALID_MODEL") && !f.retryable()) {
                invalid++;
            } else {
                problems.add(b.length + " bytes: " + t);
            }
        }
        System.out.println("BAD INPUT: " + bad.size() + " bad model files, " + invalid + " refused as INVALID_MODEL");
        assertThat(problems).as("bad model files that did not fail as INVALID_MODEL (non-retryable)").isEmpty();
        assertThat(invalid).isGreaterThanOrEqualTo(bad.size() - 12);
    }

    @Test
    void aDownloadThatDoesNotHashToItsNameIsRefusedAndNotCached() throws Exception {
        byte[] real = lenetBytes();
        String sha = ArtifactCache.sha256(real);
        byte[] corrupted = real.clone();
        corrupted[corrupted.length / 2] ^= 1;
        served.put(sha, corrupted);
        Path cacheDir = tmp.resolve("cache");
        ArtifactCache cache = new ArtifactCache(cacheDir, client);
        assertThatThrownBy(() -> cache.fetch(sha)).isInstanceOf(IllegalStateException.class).hasMessageContaining("checksum");
        try (Stream<Path> files = Files.list(cacheDir)) {
            assertThat(files.toList()).as("nothing kept from a bad download").isEmpty();
        }
        // through a lease, the same is a retryable CHECKSUM failure (the next download may be fine)
        Throwable t = catchThrowable(() -> executor().execute(profileLease(sha), Progress.NONE));
        assertThat(t).isInstanceOf(TaskFailure.class);
        assertThat(((TaskFailure) t).kind()).isEqualTo("CHECKSUM");
        assertThat(((TaskFailure) t).retryable()).isTrue();
        // once the right bytes arrive they are used, and written under their name in one step
        served.put(sha, real);
        Path file = cache.fetch(sha);
        assertThat(Files.readAllBytes(file)).isEqualTo(real);
        try (Stream<Path> files = Files.list(cacheDir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly(sha);
        }
        assertThatThrownBy(() -> cache.fetch("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void idxFilesThatLieAboutTheirSizeAreRefused() throws IOException {
        for (int[] dims : new int[][] {{Integer.MAX_VALUE, 28, 28}, {-1, 28, 28}, {60000, 0, 28}, {65536, 65536, 65536}}) {
            ByteBuffer b = ByteBuffer.allocate(4 + 12 + 100);
            b.putInt((0x08 << 8) | 3);
            for (int d : dims) b.putInt(d);
            Path p = Files.write(tmp.resolve("lying-" + Arrays.toString(dims).replaceAll("[^0-9-]", "_")), b.array());
            Throwable t = catchThrowable(() -> IdxFile.read(p, 3));
            assertThat(t).as(Arrays.toString(dims)).isInstanceOf(DatasetException.class);
        }
        Path empty = Files.write(tmp.resolve("empty"), new byte[0]);
        assertThat(catchThrowable(() -> IdxFile.read(empty, 3))).isInstanceOf(DatasetException.class);
    }

    @Test
    void impossibleConfigurationsAreInvalidConfig() {
        Graph g = Zoo.lenet5(1, 10);
        for (String cfg : List.of(
                "{\"layers\": {\"no_such_layer\": {\"prune\": {\"scheme\": \"unstructured\", \"rate\": 0.5}}}}",
                "{\"layers\": {\"../../etc\": {\"prune\": {\"scheme\": \"unstructured\", \"rate\": 0.5}}}}",
                "{\"default\": {\"prune\": {\"scheme\": \"unstructured\", \"rate\": 1.5}}}",
                "{\"default\": {\"prune\": {\"scheme\": \"unstructured\", \"rate\": -0.1}}}",
                "{\"default\": {\"prune\": {\"scheme\": \"filter\", \"rate\": 1.0}}}",
                "{\"default\": {\"prune\": {\"scheme\": \"pattern\", \"patterns\": 99}}}",
                "{\"default\": {\"prune\": {\"scheme\": \"magic\", \"rate\": 0.5}}}",
                "{\"default\": {\"quantize\": {\"bits\": 3, \"scheme\": \"symmetric\"}}}",
                "{\"default\": {\"quantize\": {\"bits\": 8, \"scheme\": \"golden-ratio\"}}}",
                "{\"default\": {\"prune\": {\"scheme\": \"block\", \"rate\": 0.5, \"block\": [0, 4]}}}",
                "{\"default\": {\"prune\": {\"scheme\": \"unstructured\", \"rate\": \"half\"}}}",
                "{\"layers\": []}",
                "{\"default\": ",
                "[1, 2, 3]")) {
            Throwable t = catchThrowable(() -> Compressor.compress(g, cfg));
            assertThat(t).as(cfg).isInstanceOf(InvalidConfigException.class);
        }
    }
}
