package dev.frontier.coordinator.dataset;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;

import dev.frontier.coordinator.api.model.Dataset;
import dev.frontier.coordinator.api.model.DatasetRef;
import dev.frontier.coordinator.artifact.ArtifactStore;
import dev.frontier.coordinator.system.ApiException;
import dev.frontier.coordinator.system.Json;
import dev.frontier.coordinator.system.Times;

@Service
public class DatasetService {
    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9._-]{1,100}$");
    private static final Pattern KIND = Pattern.compile("^[a-z0-9._-]{1,50}$");
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private final DatasetRepository datasets;
    private final ArtifactStore artifacts;

    DatasetService(DatasetRepository datasets, ArtifactStore artifacts) {
        this.datasets = datasets;
        this.artifacts = artifacts;
    }

    @Transactional
    public Dataset register(String name, String kind, List<String> splits) {
        validate(name, kind);
        List<String> s = splits == null || splits.isEmpty() ? List.of("train", "test") : splits;
        return toDto(datasets.save(new DatasetEntity(name, kind, Json.write(s), null, null)));
    }

    @Transactional
    public Dataset upload(String name, String kind, byte[] content) {
        validate(name, kind);
        if (content.length == 0) throw ApiException.badRequest("file", "file is empty");
        ArtifactStore.StoredArtifact a = artifacts.put(content, "application/octet-stream");
        return toDto(datasets.save(new DatasetEntity(name, kind, Json.write(List.of("train", "test")), a.sha256(), a.sizeBytes())));
    }

    @Transactional(readOnly = true)
    public List<Dataset> list() {
        return datasets.findAllByOrderByNameAsc().stream().map(DatasetService::toDto).toList();
    }

    @Transactional(readOnly = true)
    public Dataset get(UUID id) {
        return toDto(datasets.findById(id).orElseThrow(() -> ApiException.notFound("dataset", id)));
    }

    @Transactional(readOnly = true)
    public boolean exists(String name) {
        return datasets.existsByName(name);
    }

    /** What a worker needs to resolve the dataset: a local name/kind, or the sha256 of an upload. */
    @Transactional(readOnly = true)
    public Optional<DatasetRef> ref(String name) {
        if (name == null) return Optional.empty();
        return datasets.findByName(name).map(d -> new DatasetRef().name(d.getName()).kind(d.getKind()).sha256(d.getSha256()));
    }

    private void validate(String name, String kind) {
        if (name == null || !NAME.matcher(name).matches()) throw ApiException.badRequest("name", "name must match " + NAME.pattern());
        // "." and ".." match the pattern but are path tricks wherever a name becomes a directory
        if (name.chars().allMatch(c -> c == '.')) throw ApiException.badRequest("name", "name must not consist of dots only");
        if (kind == null || !KIND.matcher(kind).matches()) throw ApiException.badRequest("kind", "kind must match " + KIND.pattern());
        if (datasets.existsByName(name)) throw ApiException.conflict("dataset '" + name + "' already exists");
    }

    private static Dataset toDto(DatasetEntity d) {
        return new Dataset(d.getId(), d.getName(), d.getKind())
                .splits(Json.read(d.getSplits(), STRINGS))
                .sha256(d.getSha256())
                .sizeBytes(d.getSizeBytes())
                .createdAt(Times.utc(d.getCreatedAt()));
    }
}
