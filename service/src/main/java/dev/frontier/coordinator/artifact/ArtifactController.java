package dev.frontier.coordinator.artifact;

import java.io.IOException;
import java.io.InputStream;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

import dev.frontier.coordinator.api.ArtifactsApi;
import dev.frontier.coordinator.api.model.ArtifactRef;
import dev.frontier.coordinator.system.ApiException;
import dev.frontier.coordinator.system.FrontierProperties;

@RestController
class ArtifactController implements ArtifactsApi {
    private final ArtifactStore store;
    private final long maxBytes;

    ArtifactController(ArtifactStore store, FrontierProperties props) {
        this.store = store;
        this.maxBytes = props.maxUpload().toBytes();
    }

    @Override
    public ResponseEntity<ArtifactRef> uploadArtifact(Resource body) {
        ArtifactStore.StoredArtifact a = store.put(read(body, maxBytes), MediaType.APPLICATION_OCTET_STREAM_VALUE);
        return ResponseEntity.status(HttpStatus.CREATED).body(ref(a));
    }

    @Override
    public ResponseEntity<ArtifactRef> putArtifact(String sha256, Resource body) {
        byte[] bytes = read(body, maxBytes);
        if (!Sha256.hex(bytes).equals(sha256)) {
            throw ApiException.unprocessable("sha256", "content does not hash to " + sha256);
        }
        return ResponseEntity.ok(ref(store.put(bytes, MediaType.APPLICATION_OCTET_STREAM_VALUE)));
    }

    @Override
    public ResponseEntity<Resource> downloadArtifact(String sha256) {
        byte[] bytes = store.content(sha256).orElseThrow(() -> ApiException.notFound("artifact", sha256));
        return binary(bytes, sha256);
    }

    static ResponseEntity<Resource> binary(byte[] bytes, String sha256) {
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .header(HttpHeaders.ETAG, "\"" + sha256 + "\"")
                .header("X-Content-SHA256", sha256)
                .body(new ByteArrayResource(bytes));
    }

    /** Reads a request body with a hard cap, so an oversized upload is a 413, not an OOM. */
    public static byte[] read(Resource body, long maxBytes) {
        if (body == null) throw ApiException.badRequest("body", "request body is required");
        try (InputStream in = body.getInputStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) throw ApiException.tooLarge("body exceeds the upload limit of " + maxBytes + " bytes");
            return bytes;
        } catch (IOException e) {
            throw ApiException.badRequest("body", "could not read the request body: " + e.getMessage());
        }
    }

    private static ArtifactRef ref(ArtifactStore.StoredArtifact a) {
        return new ArtifactRef(a.sha256(), a.sizeBytes()).contentType(a.contentType());
    }
}
