package dev.frontier.worker.compile.nativ;

import dev.frontier.worker.bench.VariantMaker;
import dev.frontier.worker.compile.FrontierCompiler;
import dev.frontier.worker.compile.Plan;
import dev.frontier.worker.measure.LatencyProtocol;
import dev.frontier.worker.measure.NativeRunner;
import dev.frontier.worker.measure.NativeTiming;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.NetworkBuilder;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.frontier.worker.compile.TestGraphs.randomize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The generated C cross-compiled for aarch64-linux-gnu (gcc -Wall -Werror, no AVX-512: every layer's
 * scalar twin) and run under qemu-aarch64 computes what the reference interpreter computes (<= 1e-4
 * relative; int8 bit-identical to the JVM executor), and its timings are labelled emulated.
 * Skipped without aarch64-linux-gnu-gcc or qemu-aarch64, unless {@code FRONTIER_REQUIRE_AARCH64=1}
 * (set by CI), which turns missing tools into a failure so the check cannot silently vanish.
 */
class NativeAarch64Test {
    /** The natural build only: without AVX-512, -DFRONTIER_SCALAR would build the same code again. */
    private static final boolean[] DEFAULT_BUILD = {false};

    static NativeToolchain aarch64() {
        boolean required = "1".equals(System.getenv("FRONTIER_REQUIRE_AARCH64"));
        // spelled out rather than NativeTarget.aarch64(): a FRONTIER_CC meant for the host must not leak in
        NativeTarget target = NativeTarget.hostArch().equals("aarch64") ? NativeTarget.host()
                : new NativeTarget("aarch64-linux-gnu", List.of("aarch64-linux-gnu-gcc"), "-O3");
        Optional<NativeToolchain> tc = NativeToolchain.forTarget(target);
        String emulator = tc.isPresent() && tc.get().emulated() ? tc.get().emulator().get(0) : null;
        String missing = tc.isEmpty() ? "no aarch64 C compiler (apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross)"
                : emulator != null && NativeToolchain.ask(emulator, "--version") == null
                ? "no " + emulator + " (apt-get install qemu-user)" : null;
        if (missing != null) {
            if (required) {
                fail("FRONTIER_REQUIRE_AARCH64=1 but " + missing);
            }
            assumeTrue(false, missing + "; aarch64 tests skipped");
        }
        assertThat(tc.get().triple()).startsWith("aarch64");
        return tc.get();
    }

    /**
     * Odd sizes, channels not multiples of 16, 1x1 / 5x5 (/ strided) convs, avg pool, linear, softmax;
     * int8 has no native strided conv yet, so its graph leaves that one out.
     */
    static Graph awkward(long seed, boolean strided) {
        NetworkBuilder b = new NetworkBuilder(seed, 3, 13, 11);
        b.conv("c1", 20, 3, 1, 1).batchNorm("bn1").relu("r1");
        b.conv("c2", 37, 3, 1, 1).relu("r2");
        b.conv("c3", 17, 1, 1, 0).relu6("r3");
        b.conv("c4", 6, 5, 1, 2);
        b.avgPool("p1", 2, 2);
        if (strided) {
            b.conv("c5", 18, 3, 2, 1).relu("r5");
        }
        return b.flatten("f").linear("fc1", 23).relu("r6").linear("fc2", 19).softmax("sm").build();
    }

    @Test
    void denseSparseAndLinearMatchReference() {
        NativeToolchain tc = aarch64();
        Graph g = randomize(awkward(51, true), 13);
        NativeModelTest.check(tc, DEFAULT_BUILD, g, "aarch64 awkward dense");
        NativeModelTest.check(tc, DEFAULT_BUILD, VariantMaker.patternConnectivity(g, 8, 4),
                "aarch64 awkward pattern + connectivity 8x");
        NativeModelTest.check(tc, DEFAULT_BUILD, VariantMaker.blockLinear(g, 4, 8, 0.5), "aarch64 block linear");
    }

    @Test
    void int8MatchesJvmExactly() {
        NativeToolchain tc = aarch64();
        Graph g = randomize(awkward(52, false), 15);
        NativeModelTest.checkExact(tc, DEFAULT_BUILD, NativeModelTest.int8(g, null), "aarch64 awkward int8");
        NativeModelTest.checkExact(tc, DEFAULT_BUILD, NativeModelTest.int8(g,
                "\"prune\":{\"scheme\":\"pattern\",\"patterns\":4,\"connectivity\":0.5}"), "aarch64 int8 + pattern");
    }

    @Test
    void timingUnderQemuIsLabelledEmulated() {
        NativeToolchain tc = aarch64();
        assumeTrue(tc.emulated(), "this machine is aarch64: nothing is emulated");
        Plan plan = FrontierCompiler.compile(randomize(awkward(53, true), 16), FrontierCompiler.Options.untuned());
        NativeBuild b = NativeBuild.cached(plan, tc, false);
        assertThat(b.emulator()).containsExactly("qemu-aarch64", "-L", "/usr/aarch64-linux-gnu");
        NativeRunner runner = new NativeRunner(b);
        NativeTiming t = runner.timing(new LatencyProtocol.Options(2, 0, 3, 1));
        assertThat(t.emulated()).isTrue();
        assertThat(t.target()).startsWith("aarch64");
        assertThat(t.latency().medianMs()).isPositive();
        assertThat(t.latency().perLayerMs()).containsKeys("c1", "fc2");
        // the harness reports the samples' standard deviation (it used to be missing and showed as 0 ms)
        assertThat(t.latency().stdevMs()).isNotNaN().isGreaterThanOrEqualTo(0);
        if (t.latency().p90Ms() > t.latency().p10Ms()) {
            assertThat(t.latency().stdevMs()).isPositive();
        }
        assertThat(t.toMap()).containsEntry("emulated", true);
        assertThatThrownBy(() -> runner.time(LatencyProtocol.Options.quick()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("emulated");
    }

    @Test
    void targetsAndEmulators() {
        assumeTrue(NativeTarget.hostArch().equals("x86_64"), "emulator choice is checked from an x86-64 host");
        assertThat(NativeTarget.of("x86_64-linux-gnu").isHost()).isTrue();
        assertThat(NativeTarget.aarch64().compilers()).isEqualTo(List.of(
                Optional.ofNullable(System.getenv("FRONTIER_CC")).filter(s -> !s.isBlank()).orElse("aarch64-linux-gnu-gcc")));
        assertThat(NativeTarget.emulatorFor("x86_64-pc-linux-gnu")).isEmpty();
        assertThat(NativeTarget.emulatorFor("aarch64-linux-gnu"))
                .containsExactly("qemu-aarch64", "-L", "/usr/aarch64-linux-gnu");
        assertThat(NativeTarget.emulatorFor("arm-linux-gnueabihf").get(0)).isEqualTo("qemu-arm");
    }
}
