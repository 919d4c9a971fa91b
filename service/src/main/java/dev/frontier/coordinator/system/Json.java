package dev.frontier.coordinator.system;

import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON documents (configs, metrics, profiles) are stored as text columns: the coordinator only
 * passes most of them through, and text keeps the schema independent of a Hibernate JSON mapper.
 */
public final class Json {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private Json() {
    }

    public static String write(Object value) {
        return value == null ? null : MAPPER.writeValueAsString(value);
    }

    public static Map<String, Object> readMap(String json) {
        if (json == null || json.isBlank()) return null;
        return MAPPER.readValue(json, MAP);
    }

    public static <T> T read(String json, Class<T> type) {
        if (json == null || json.isBlank()) return null;
        return MAPPER.readValue(json, type);
    }

    public static <T> T read(String json, TypeReference<T> type) {
        if (json == null || json.isBlank()) return null;
        return MAPPER.readValue(json, type);
    }

    /** A number inside a free-form document, or null when absent or not numeric. */
    public static Double number(Map<String, Object> doc, String key) {
        if (doc == null) return null;
        return doc.get(key) instanceof Number n ? n.doubleValue() : null;
    }
}
