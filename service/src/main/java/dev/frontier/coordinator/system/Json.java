package dev.frontier.coordinator.system;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON documents (configs, metrics, profiles) are stored as text columns: text keeps the schema
 * independent of a Hibernate JSON mapper. The typed documents (the contract's CompressionConfig,
 * BuildMetrics, LatencyMetrics, ModelProfile) become text and back here only, at the persistence edge.
 */
public final class Json {
    // absent stays absent (the contract's properties are not nullable); stored rows written by an older
    // coordinator may carry fields the contract dropped since, so reading them is lenient
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_NULL))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    // what a worker reports must be what the contract allows: its types, and no property it does not
    // have (openapi.yaml says additionalProperties: false), refused with the property's path
    private static final JsonMapper STRICT = MAPPER.rebuild().disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
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

    /**
     * An incoming document read as the contract type, refusing values of the wrong type; {@code field}
     * names it in the 422 (e.g. {@code result}), with the path of what is wrong inside.
     */
    public static <T> T readStrict(JsonNode node, Class<T> type, String field) {
        try {
            return STRICT.treeToValue(node, type);
        } catch (JacksonException e) {
            throw ApiException.unprocessable(path(field, e), "does not match openapi.yaml " + type.getSimpleName() + ": "
                    + e.getOriginalMessage());
        }
    }

    private static String path(String field, JacksonException e) {
        String inner = e.getPath().stream()
                .map(r -> r.getPropertyName() != null ? r.getPropertyName() : String.valueOf(r.getIndex()))
                .collect(Collectors.joining("."));
        return inner.isEmpty() ? field : field + "." + inner;
    }
}
