package dev.frontier.coordinator.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.frontier.coordinator.api.model.ModelProfile;
import dev.frontier.coordinator.system.Json;
import tools.jackson.databind.json.JsonMapper;

/**
 * Model profiles for search tests. A fixture written by hand (or recorded before profiles advertised
 * the worker's scheme registry) gets the registry a real worker advertises (the {@code schemes} of
 * profiles/lenet5.json, a real PROFILE report), so block shapes and pattern values come from where
 * they come from in production.
 */
public final class TestProfiles {
    private static final Object SCHEMES = load();

    private TestProfiles() {
    }

    /** A fixture as the coordinator reads it (the contract's ModelProfile), with the registry added. */
    public static ModelProfile profile(Map<String, Object> profile) {
        return typed(withRegistry(profile));
    }

    /** A fixture as the coordinator reads it, as it is. */
    public static ModelProfile typed(Map<String, Object> profile) {
        return Json.read(Json.write(profile), ModelProfile.class);
    }

    /** A fixture as a worker reports it, with the registry added. */
    public static Map<String, Object> withRegistry(Map<String, Object> profile) {
        Map<String, Object> out = new LinkedHashMap<>(profile);
        out.putIfAbsent("schemes", SCHEMES);
        return out;
    }

    private static Object load() {
        try (InputStream in = TestProfiles.class.getResourceAsStream("/profiles/lenet5.json")) {
            return JsonMapper.builder().build().readValue(in, Map.class).get("schemes");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
