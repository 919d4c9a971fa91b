package dev.frontier.worker.compress;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.frontier.worker.model.QuantScheme;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A trial's compression configuration (docs/contracts.md): a {@code default} layer spec and
 * per-layer specs. The default applies only to layers that are not listed, and only where its
 * pruning scheme fits the layer. Parsing checks everything that does not depend on the model and
 * reports every problem at once, each with its JSON path.
 */
public record CompressionConfig(LayerSpec defaults, Map<String, LayerSpec> layers) {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> TOP_KEYS = Set.of("default", "layers");
    private static final Set<String> LAYER_KEYS = Set.of("prune", "quantize");
    private static final Set<String> QUANT_KEYS = Set.of("bits", "scheme");

    public CompressionConfig {
        defaults = defaults == null ? LayerSpec.DENSE : defaults;
        layers = Collections.unmodifiableMap(new LinkedHashMap<>(layers));
    }

    /** True when the configuration leaves every layer as it is (the dense baseline). */
    public boolean isIdentity() {
        return defaults.isIdentity() && layers.values().stream().allMatch(LayerSpec::isIdentity);
    }

    public static CompressionConfig dense() {
        return new CompressionConfig(LayerSpec.DENSE, Map.of());
    }

    public static CompressionConfig parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json == null ? "" : json);
        } catch (JacksonException e) {
            throw new InvalidConfigException("compression config is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new InvalidConfigException("compression config is empty; use {} for the dense baseline");
        }
        return parse(root);
    }

    /** A configuration built in code (maps, lists, numbers, strings), checked like any other. */
    public static CompressionConfig of(Map<String, Object> config) {
        return parse((JsonNode) JSON.valueToTree(config));
    }

    public static CompressionConfig parse(JsonNode root) {
        List<String> errors = new ArrayList<>();
        if (!root.isObject()) {
            throw new InvalidConfigException("compression config must be a JSON object, got " + root.getNodeType());
        }
        unknownKeys(root, TOP_KEYS, "", errors);
        LayerSpec defaults = LayerSpec.DENSE;
        if (root.has("default") && !root.get("default").isNull()) {
            LayerSpec d = layer(root.get("default"), "default", errors);
            defaults = d == null ? LayerSpec.DENSE : d;
        }
        Map<String, LayerSpec> layers = new LinkedHashMap<>();
        JsonNode ls = root.get("layers");
        if (ls != null && !ls.isNull()) {
            if (!ls.isObject()) {
                errors.add("layers: must be an object mapping layer names to settings");
            } else {
                for (Map.Entry<String, JsonNode> e : ls.properties()) {
                    LayerSpec s = layer(e.getValue(), "layers." + e.getKey(), errors);
                    if (s != null) {
                        layers.put(e.getKey(), s);
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidConfigException("invalid compression config: " + String.join("; ", errors));
        }
        return new CompressionConfig(defaults, layers);
    }

    private static LayerSpec layer(JsonNode n, String path, List<String> errors) {
        if (!n.isObject()) {
            errors.add(path + ": must be an object with 'prune' and/or 'quantize'");
            return null;
        }
        unknownKeys(n, LAYER_KEYS, path, errors);
        int before = errors.size();
        PruneSpec prune = new PruneSpec.None();
        QuantSpec quant = null;
        JsonNode p = n.get("prune");
        if (p != null && !p.isNull()) {
            PruneSpec parsed = prune(p, path + ".prune", errors);
            prune = parsed == null ? prune : parsed;
        }
        JsonNode q = n.get("quantize");
        if (q != null && !q.isNull()) {
            quant = quantize(q, path + ".quantize", errors);
        }
        return errors.size() == before ? new LayerSpec(prune, quant) : null;
    }

    private static PruneSpec prune(JsonNode p, String path, List<String> errors) {
        if (!p.isObject()) {
            errors.add(path + ": must be an object with a 'scheme'");
            return null;
        }
        JsonNode s = p.get("scheme");
        if (s == null || !s.isString()) {
            errors.add(path + ": 'scheme' is required, one of " + schemeNames());
            return null;
        }
        String scheme = s.stringValue();
        Schemes.Scheme entry = Schemes.byName(scheme).orElse(null);
        if (entry == null && !scheme.equals("none")) {
            errors.add(path + ": unknown scheme '" + scheme + "'; expected one of " + schemeNames());
            return null;
        }
        int before = errors.size();
        unknownKeys(p, entry == null ? Schemes.NONE_KEYS : entry.keys(), path, errors);
        if (errors.size() > before) {
            return null;
        }
        try {
            return entry == null ? new PruneSpec.None() : entry.parser().parse(p, path);
        } catch (InvalidConfigException e) {
            errors.add(path + ": " + e.getMessage());
            return null;
        }
    }

    /** The registered schemes and "none", sorted, for messages. */
    private static List<String> schemeNames() {
        List<String> names = new ArrayList<>(Schemes.names());
        names.add("none");
        return names.stream().sorted().toList();
    }

    static PruneSpec block(JsonNode p, String path) {
        JsonNode b = p.get("block");
        if (b == null || !b.isArray() || b.size() != 2 || !b.get(0).isIntegralNumber() || !b.get(1).isIntegralNumber()
                || !b.get(0).canConvertToInt() || !b.get(1).canConvertToInt()) {
            throw new InvalidConfigException("block: 'block' must be [rows, cols] (two positive integers), got "
                    + (b == null ? "nothing" : b.toString()));
        }
        String along = string(p, "along", "columns", path);
        if (!along.equals("columns") && !along.equals("rows")) {
            throw new InvalidConfigException("block: 'along' must be 'columns' or 'rows', got '" + along + "'");
        }
        return new PruneSpec.Block(number(p, "rate", null, path), b.get(0).intValue(), b.get(1).intValue(),
                along.equals("rows"));
    }

    private static QuantSpec quantize(JsonNode q, String path, List<String> errors) {
        if (!q.isObject()) {
            errors.add(path + ": must be an object with 'bits' and 'scheme'");
            return null;
        }
        int before = errors.size();
        unknownKeys(q, QUANT_KEYS, path, errors);
        if (errors.size() > before) {
            return null;
        }
        try {
            int bits = integer(q, "bits", 8, path);
            QuantScheme scheme;
            try {
                scheme = QuantScheme.parse(string(q, "scheme", "symmetric", path));
            } catch (InvalidConfigException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException(e.getMessage());
            }
            return new QuantSpec(bits, scheme);
        } catch (InvalidConfigException e) {
            errors.add(path + ": " + e.getMessage());
            return null;
        }
    }

    private static void unknownKeys(JsonNode n, Set<String> allowed, String path, List<String> errors) {
        for (String k : n.propertyNames()) {
            if (!allowed.contains(k)) {
                errors.add((path.isEmpty() ? "" : path + ": ") + "unknown key '" + k + "'; allowed: "
                        + allowed.stream().sorted().toList());
            }
        }
    }

    static double number(JsonNode n, String key, Double def, String path) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            if (def == null) {
                throw new InvalidConfigException("'" + key + "' is required");
            }
            return def;
        }
        if (!v.isNumber()) {
            throw new InvalidConfigException("'" + key + "' must be a number, got " + v);
        }
        return v.doubleValue();
    }

    static int integer(JsonNode n, String key, int def, String path) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new InvalidConfigException("'" + key + "' must be an integer, got " + v);
        }
        return v.intValue();
    }

    static String string(JsonNode n, String key, String def, String path) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isString()) {
            throw new InvalidConfigException("'" + key + "' must be a string, got " + v);
        }
        return v.stringValue();
    }
}
