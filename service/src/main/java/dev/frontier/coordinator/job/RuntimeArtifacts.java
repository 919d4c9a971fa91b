package dev.frontier.coordinator.job;

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

    static Map<String, String> of(Map<String, Object> metrics, String artifactSha256) {
        Map<String, String> out = new LinkedHashMap<>();
        if (artifactSha256 != null) out.put(Runtimes.JVM, artifactSha256);
        if (metrics.get("onnxSha256") instanceof String onnx && onnx.matches(SHA)) out.put(Runtimes.ONNXRUNTIME, onnx);
        if (metrics.get("runtimeArtifacts") instanceof Map<?, ?> declared) {
            declared.forEach((k, v) -> {
                if (k instanceof String name && v instanceof String sha && sha.matches(SHA)) out.put(name, sha);
            });
        }
        return out;
    }
}
