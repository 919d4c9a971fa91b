package dev.frontier.coordinator.dataset;

import java.io.IOException;
import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import dev.frontier.coordinator.api.DatasetsApi;
import dev.frontier.coordinator.api.model.Dataset;
import dev.frontier.coordinator.api.model.DatasetRegistration;
import dev.frontier.coordinator.system.ApiException;

@RestController
class DatasetController implements DatasetsApi {
    private final DatasetService service;

    DatasetController(DatasetService service) {
        this.service = service;
    }

    @Override
    public ResponseEntity<List<Dataset>> listDatasets() {
        return ResponseEntity.ok(service.list());
    }

    @Override
    public ResponseEntity<Dataset> registerDataset(DatasetRegistration reg) {
        return ResponseEntity.status(HttpStatus.CREATED).body(service.register(reg.getName(), reg.getKind(), reg.getSplits()));
    }

    @Override
    public ResponseEntity<Dataset> uploadDataset(MultipartFile file, String name, String kind) {
        try {
            return ResponseEntity.status(HttpStatus.CREATED).body(service.upload(name, kind, file.getBytes()));
        } catch (IOException e) {
            throw ApiException.badRequest("file", "could not read the upload: " + e.getMessage());
        }
    }

    @Override
    public ResponseEntity<Dataset> getDataset(UUID datasetId) {
        return ResponseEntity.ok(service.get(datasetId));
    }
}
