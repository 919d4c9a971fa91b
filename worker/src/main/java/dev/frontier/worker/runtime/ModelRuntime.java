package dev.frontier.worker.runtime;

import dev.frontier.worker.contract.RuntimeDetails;

import java.nio.file.Path;
import java.util.Map;

import dev.frontier.worker.measure.LatencyProtocol;
import dev.frontier.worker.measure.LatencyResult;

/**
 * A way a device runs a model, as a MEASURE task uses it: prepare one downloaded artifact (in this
 * runtime's format) into something that can run, then time it with the latency protocol. Adding a
 * runtime is one implementation plus a line in {@link ModelRuntimes}.
 */
public interface ModelRuntime {
    /** The name the coordinator knows it by (openapi RuntimeName), e.g. frontier-native. */
    String name();

    /** What the device declares for it (openapi DeviceRuntime): name, version, compiler, target, features, emulated. */
    Map<String, Object> describe();

    /** Loads / builds the artifact; the returned model is timed, then closed. */
    Prepared prepare(Path artifact, int threads);

    /** A model ready to run on this runtime. */
    interface Prepared extends AutoCloseable {
        LatencyResult time(LatencyProtocol.Options options);

        /** Facts to report beside the latency (e.g. the compiler used); may be empty. */
        default RuntimeDetails details() {
            return new RuntimeDetails();
        }

        @Override
        void close();
    }
}
