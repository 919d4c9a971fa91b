package dev.frontier.worker.compress;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.frontier.worker.contract.LayerCompression;
import dev.frontier.worker.contract.PruneSettings;
import dev.frontier.worker.contract.QuantizeSettings;
import dev.frontier.worker.model.QuantScheme;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A trial's compression configuration as the compressor uses it: a {@code default} layer spec and
 * per-layer specs. The default applies only to layers that are not listed, and only where its
 * pruning scheme fits the layer. The wire shape is the contract's {@code CompressionConfig}
 * (openapi.yaml); {@link #from} is the one place it becomes specs, checking everything that does
 * not depend on the model (which keys each scheme takes comes from {@link Schemes}) and reporting
 * every problem at once, each with its path.
 */
public record CompressionConfig(LayerSpec defaults, Map<String, LayerSpec> layers) {
    // unknown keys are an error here (the CLI's hand-written files): the contract has additionalProperties false
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT).build();

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

    /** A configuration written as JSON (the CLI's files, tests), read as the contract type. */
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
        if (!root.isObject()) {
            throw new InvalidConfigException("compression config must be a JSON object, got " + root.getNodeType());
        }
        try {
            return from(JSON.treeToValue(root, dev.frontier.worker.contract.CompressionConfig.class));
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidConfigException("invalid compression config: " + where(e) + "unknown key '" + e.getPropertyName()
                    + "'; allowed: " + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList());
        } catch (JacksonException e) {
            String path = path(e);
            if (path.endsWith("prune.scheme")) {
                throw new InvalidConfigException("invalid compression config: " + path + ": unknown scheme '"
                        + root.at("/" + path.replace('.', '/')).asString("") + "'; expected one of " + schemeNames());
            }
            throw new InvalidConfigException("invalid compression config: " + where(e) + e.getOriginalMessage());
        }
    }

    /** The contract's configuration (a lease's, or one built in code) as specs; null is the dense baseline. */
    public static CompressionConfig from(dev.frontier.worker.contract.CompressionConfig config) {
        if (config == null) {
            return dense();
        }
        List<String> errors = new ArrayList<>();
        LayerSpec defaults = config.getDefault() == null ? LayerSpec.DENSE : layer(config.getDefault(), "default", errors);
        Map<String, LayerSpec> layers = new LinkedHashMap<>();
        if (config.getLayers() != null) {
            config.getLayers().forEach((name, settings) -> {
                LayerSpec s = layer(settings, "layers." + name, errors);
                if (s != null) {
                    layers.put(name, s);
                }
            });
        }
        if (!errors.isEmpty()) {
            throw new InvalidConfigException("invalid compression config: " + String.join("; ", errors));
        }
        return new CompressionConfig(defaults == null ? LayerSpec.DENSE : defaults, layers);
    }

    /** One layer pruned by {@code prune}, the rest dense (a probe's or a test's configuration). */
    public static CompressionConfig pruning(String layer, PruneSettings prune) {
        return from(new dev.frontier.worker.contract.CompressionConfig().layers(Map.of(layer, new LayerCompression().prune(prune))));
    }

    private static LayerSpec layer(LayerCompression n, String path, List<String> errors) {
        if (n == null) {
            errors.add(path + ": must be an object with 'prune' and/or 'quantize'");
            return null;
        }
        int before = errors.size();
        PruneSpec prune = n.getPrune() == null ? new PruneSpec.None() : prune(n.getPrune(), path + ".prune", errors);
        QuantSpec quant = n.getQuantize() == null ? null : quantize(n.getQuantize(), path + ".quantize", errors);
        return errors.size() == before ? new LayerSpec(prune, quant) : null;
    }

    private static PruneSpec prune(PruneSettings p, String path, List<String> errors) {
        if (p.getScheme() == null) {
            errors.add(path + ": 'scheme' is required, one of " + schemeNames());
            return null;
        }
        String scheme = p.getScheme().getValue();
        Schemes.Scheme entry = Schemes.byName(scheme).orElse(null);
        if (entry == null && !scheme.equals("none")) {
            errors.add(path + ": unknown scheme '" + scheme + "'; expected one of " + schemeNames());
            return null;
        }
        Set<String> allowed = entry == null ? Schemes.NONE_KEYS : entry.keys();
        List<String> unknown = keys(p).stream().filter(k -> !allowed.contains(k)).toList();
        if (!unknown.isEmpty()) {
            unknown.forEach(k -> errors.add(path + ": unknown key '" + k + "'; allowed: " + allowed.stream().sorted().toList()));
            return null;
        }
        try {
            return entry == null ? new PruneSpec.None() : entry.parser().parse(p);
        } catch (InvalidConfigException e) {
            errors.add(path + ": " + e.getMessage());
            return null;
        }
    }

    /** The parameters a prune setting carries (its non-empty properties, by their wire names). */
    private static Set<String> keys(PruneSettings p) {
        Set<String> keys = new LinkedHashSet<>();
        JSON.valueToTree(p).properties().forEach(e -> {
            if (!e.getValue().isNull() && !(e.getValue().isContainer() && e.getValue().isEmpty())) {
                keys.add(e.getKey());
            }
        });
        return keys;
    }

    private static QuantSpec quantize(QuantizeSettings q, String path, List<String> errors) {
        try {
            int bits = q.getBits() == null ? 8 : q.getBits().getValue();
            QuantScheme scheme = QuantScheme.parse(q.getScheme() == null ? "symmetric" : q.getScheme().getValue());
            return new QuantSpec(bits, scheme);
        } catch (IllegalArgumentException e) {
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

    /** A block setting's [rows, cols]; the registry's parser for {@code block}. */
    static PruneSpec block(PruneSettings p) {
        List<Integer> b = p.getBlock();
        if (b == null || b.size() != 2 || b.get(0) == null || b.get(1) == null) {
            throw new InvalidConfigException("block: 'block' must be [rows, cols] (two positive integers), got "
                    + (b == null ? "nothing" : b.toString()));
        }
        boolean rows = p.getAlong() == PruneSettings.AlongEnum.ROWS;
        return new PruneSpec.Block(rate(p), b.get(0), b.get(1), rows);
    }

    /** The required {@code rate} of a rate-based scheme. */
    static double rate(PruneSettings p) {
        if (p.getRate() == null) {
            throw new InvalidConfigException("'rate' is required");
        }
        return p.getRate();
    }

    private static String where(JacksonException e) {
        String path = path(e);
        return path.isEmpty() ? "" : path + ": ";
    }

    /** Jackson's reference chain as a dotted path ({@code layers.conv1.prune}). */
    private static String path(JacksonException e) {
        return e.getPath().stream()
                .map(r -> r.getPropertyName() != null ? r.getPropertyName() : String.valueOf(r.getIndex()))
                .collect(Collectors.joining("."));
    }
}
