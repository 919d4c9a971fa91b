package dev.frontier.coordinator.model;

import java.io.IOException;
import java.util.List;
import java.util.UUID;

import org.springframework.core.io.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import dev.frontier.coordinator.api.ModelsApi;
import dev.frontier.coordinator.api.model.Model;
import dev.frontier.coordinator.artifact.Artifacts;
import dev.frontier.coordinator.system.ApiException;

@RestController
class ModelController implements ModelsApi {
    private final ModelService service;

    ModelController(ModelService service) {
        this.service = service;
    }

    @Override
    public ResponseEntity<List<Model>> listModels() {
        return ResponseEntity.ok(service.list());
    }

    @Override
    public ResponseEntity<Model> uploadModel(MultipartFile file, String name, String format, String inputShape, String dataset) {
        try {
            return ResponseEntity.status(HttpStatus.CREATED).body(service.upload(name, format, inputShape, dataset, file.getBytes()));
        } catch (IOException e) {
            throw ApiException.badRequest("file", "could not read the upload: " + e.getMessage());
        }
    }

    @Override
    public ResponseEntity<Model> getModel(UUID modelId) {
        return ResponseEntity.ok(service.get(modelId));
    }

    @Override
    public ResponseEntity<Resource> downloadModel(UUID modelId) {
        return Artifacts.download(service.content(modelId), service.sha256(modelId));
    }
}
