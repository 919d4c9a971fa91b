package dev.frontier.worker.train;

import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.ModelFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Trained baselines shipped inside the worker jar, so users and tests need not train first. The demo
 * model is the {@code vgg} zoo model trained on Fashion-MNIST; a JSON sidecar records how (command,
 * epochs, seed) and what it scored. Reproduce it with the {@code train} command recorded there.
 */
public final class Baselines {
    public static final String DEMO_MODEL = "/models/vgg-fmnist.frir";
    public static final String DEMO_INFO = "/models/vgg-fmnist.json";

    private Baselines() {
    }

    /** The shipped demo model (a fresh copy on every call). */
    public static Graph demoModel() {
        return ModelFile.fromBytes(demoModelBytes());
    }

    /** The demo model file's bytes, e.g. to upload it to a coordinator. */
    public static byte[] demoModelBytes() {
        return resource(DEMO_MODEL);
    }

    /** The sidecar: {@code arch, dataset, epochs, seed, testAccuracy, validationAccuracy, trainSeconds, command, ...}. */
    public static Map<String, Object> demoInfo() {
        return JsonMapper.builder().build().readValue(resource(DEMO_INFO), new TypeReference<Map<String, Object>>() {
        });
    }

    /** Test accuracy (percent) recorded when the demo model was trained. */
    public static double demoTestAccuracy() {
        return ((Number) demoInfo().get("testAccuracy")).doubleValue();
    }

    private static byte[] resource(String path) {
        try (InputStream in = Baselines.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the baseline " + path + " is not in this build (train it with: "
                        + "frontier-worker train --arch vgg --dataset fashion-mnist --epochs 10 --out vgg-fmnist.frir)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
