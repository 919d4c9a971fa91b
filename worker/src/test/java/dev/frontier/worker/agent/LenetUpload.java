package dev.frontier.worker.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.ModelFile;

/** What the agent tests do before a job: register Fashion-MNIST and upload a 1x28x28 model as .frir. */
final class LenetUpload {
    private LenetUpload() {
    }

    /** The uploaded model's id. */
    static String upload(CoordinatorClient api, Graph model, String name) throws IOException {
        Path file = Files.createTempFile(name, ".frir");
        ModelFile.write(model, file);
        api.post("datasets", CoordinatorClient.object().put("name", "fashion-mnist").put("kind", "fashion-mnist"));
        return api.postMultipart("models", Map.of("name", name, "format", "frontier-ir", "inputShape", "1,28,28",
                "dataset", "fashion-mnist"), "lenet.frir", Files.readAllBytes(file)).path("id").asString();
    }
}
