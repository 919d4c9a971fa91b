package dev.frontier.coordinator.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.frontier.coordinator.api.model.Model;
import dev.frontier.coordinator.api.model.ModelProfile;
import dev.frontier.coordinator.artifact.ArtifactStore;
import dev.frontier.coordinator.dataset.DatasetService;
import dev.frontier.coordinator.system.ApiException;
import dev.frontier.coordinator.system.Names;
import dev.frontier.coordinator.system.Json;
import dev.frontier.coordinator.system.Times;

@Service
public class ModelService {
    private static final Pattern FORMAT = Pattern.compile("^[a-z0-9._-]{1,50}$");
    private final ModelRepository models;
    private final ArtifactStore artifacts;
    private final DatasetService datasets;

    ModelService(ModelRepository models, ArtifactStore artifacts, DatasetService datasets) {
        this.models = models;
        this.artifacts = artifacts;
        this.datasets = datasets;
    }

    /** A summary of a stored model for the parts of the coordinator that plan work on it. */
    public record ModelInfo(UUID id, String sha256, String datasetName, ModelProfile profile) {
        public boolean profiled() {
            return profile != null;
        }
    }

    @Transactional
    public Model upload(String name, String format, String inputShape, String dataset, byte[] content) {
        if (name == null || name.isBlank() || name.length() > 200) throw ApiException.badRequest("name", "name must be 1..200 characters");
        Names.requirePrintable("name", name);
        if (format == null || !FORMAT.matcher(format).matches()) throw ApiException.badRequest("format", "format must match " + FORMAT.pattern());
        List<Integer> shape = parseShape(inputShape);
        if (dataset != null && !dataset.isBlank() && !datasets.exists(dataset)) {
            throw ApiException.unprocessable("dataset", "dataset '" + dataset + "' is not registered");
        }
        if (content.length == 0) throw ApiException.badRequest("file", "file is empty");
        ArtifactStore.StoredArtifact a = artifacts.put(content, "application/octet-stream");
        String shapeText = String.join(",", shape.stream().map(String::valueOf).toList());
        ModelEntity m = new ModelEntity(name.strip(), format, shapeText, dataset == null || dataset.isBlank() ? null : dataset,
                a.sha256(), a.sizeBytes());
        return toDto(models.save(m), false);
    }

    @Transactional(readOnly = true)
    public List<Model> list() {
        return models.findAllByOrderByCreatedAtDesc().stream().map(m -> toDto(m, false)).toList();
    }

    @Transactional(readOnly = true)
    public Model get(UUID id) {
        return toDto(find(id), true);
    }

    @Transactional(readOnly = true)
    public byte[] content(UUID id) {
        ModelEntity m = find(id);
        return artifacts.content(m.getSha256()).orElseThrow(() -> ApiException.notFound("model content", m.getSha256()));
    }

    @Transactional(readOnly = true)
    public String sha256(UUID id) {
        return find(id).getSha256();
    }

    @Transactional(readOnly = true)
    public Optional<ModelInfo> info(UUID id) {
        return models.findById(id).map(m -> new ModelInfo(m.getId(), m.getSha256(), m.getDatasetName(), Json.read(m.getProfile(), ModelProfile.class)));
    }

    @Transactional
    public void storeProfile(UUID id, ModelProfile profile) {
        find(id).profiled(Json.write(profile));
    }

    static List<Integer> parseShape(String text) {
        if (text == null || text.isBlank()) throw ApiException.badRequest("inputShape", "inputShape is required, e.g. 1,28,28");
        List<Integer> dims = new ArrayList<>();
        // separators are ',', 'x' or blanks ("1,28,28", "1x28x28", "[1, 28, 28]"); an empty part ("1,,28") is an error
        for (String part : text.replace("[", "").replace("]", "").strip().split("\\s*[,x]\\s*|\\s+", -1)) {
            try {
                int d = Integer.parseInt(part.strip());
                if (d <= 0) throw new NumberFormatException();
                dims.add(d);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("inputShape", "inputShape must be positive integers separated by commas, got '" + text + "'");
            }
        }
        if (dims.isEmpty() || dims.size() > 8) throw ApiException.badRequest("inputShape", "inputShape must have 1..8 dimensions");
        return dims;
    }

    private ModelEntity find(UUID id) {
        return models.findById(id).orElseThrow(() -> ApiException.notFound("model", id));
    }

    private static Model toDto(ModelEntity m, boolean withProfile) {
        return new Model(m.getId(), m.getName(), m.getFormat(), m.getSha256())
                .inputShape(Arrays.stream(m.getInputShape().split(",")).map(Integer::valueOf).toList())
                .dataset(m.getDatasetName())
                .sizeBytes(m.getSizeBytes())
                .profile(withProfile ? Json.readMap(m.getProfile()) : null)
                .profiledAt(Times.utc(m.getProfiledAt()))
                .createdAt(Times.utc(m.getCreatedAt()));
    }
}
