package dev.frontier.coordinator.job;

import dev.frontier.coordinator.api.model.BuildMetrics;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.frontier.coordinator.device.Runtimes;

/**
 * Which uploaded artifact each runtime times, from a BUILD's metrics: {@code runtimeArtifacts}
 * (runtime name -> sha256) as the agent reports it; agents from before runtimes existed report only
 * the Frontier artifact and {@code onnxSha256}. A runtime missing here has no variant of this trial
 * (e.g. the generator does not support one of its layers yet) and is not measured.
 */
final class RuntimeArtifacts {
    private static final String SHA = "[0-9a-f]{64}";

    private RuntimeArtifacts() {
    }

    static Map<String, String> of(BuildMetrics metrics, String artifactSha256) {
        Map<String, String> out = new LinkedHashMap<>();
        if (artifactSha256 != null) out.put(Runtimes.JVM, artifactSha256);
        String onnx = metrics.getOnnxSha256();
        if (onnx != null && onnx.matches(SHA)) out.put(Runtimes.ONNXRUNTIME, onnx);
        if (metrics.getRuntimeArtifacts() != null) {
            metrics.getRuntimeArtifacts().forEach((name, sha) -> {
                if (sha != null && sha.matches(SHA)) out.put(name, sha);
            });
        }
        return out;
    }
}
