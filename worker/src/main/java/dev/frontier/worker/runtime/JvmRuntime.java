package dev.frontier.worker.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.frontier.worker.compile.Artifact;
import dev.frontier.worker.compile.Executor;
import dev.frontier.worker.compile.FrontierCompiler;
import dev.frontier.worker.compile.Plan;
import dev.frontier.worker.compile.Tuner;
import dev.frontier.worker.measure.LatencyProtocol;
import dev.frontier.worker.measure.LatencyResult;

/** The Frontier artifact on the Java runtime: kernel variants tuned for this device (cached), then timed. */
final class JvmRuntime extends NamedRuntime {
    JvmRuntime() {
        super("frontier-jvm");
    }


    @Override
    void describe(Map<String, Object> d) {
        d.put("version", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    }

    @Override
    public Prepared prepare(Path artifact, int threads) {
        Plan plan;
        try {
            plan = Artifact.fromBytes(Files.readAllBytes(artifact));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Tuner.tune(plan, threads, FrontierCompiler.Options.defaults().cache());
        Executor ex = new Executor(plan, threads);
        return new Prepared() {
            @Override
            public LatencyResult time(LatencyProtocol.Options options) {
                return LatencyProtocol.measure(ex, options);
            }

            @Override
            public void close() {
                ex.close();
            }
        };
    }
}
