package dev.frontier.worker.compress;

import java.util.Locale;

/**
 * How one layer is pruned, as written in the compression configuration (docs/contracts.md). Each
 * record checks its own ranges, so a spec that exists is valid on its own; whether it fits a given
 * layer is checked by {@link Compressor}.
 */
public sealed interface PruneSpec {

    /** The scheme's wire name ({@code pattern}, {@code block}, ...). */
    String scheme();

    /** Short human-readable form for reports and graph metadata. */
    String describe();

    /** Fraction of whole kernels removed on top of the pattern; 0 = patterns only. */
    record Pattern(int patterns, double connectivity, LibraryScope library) implements PruneSpec {
        public static final int MIN_PATTERNS = 4;
        public static final int MAX_PATTERNS = 8;

        public Pattern {
            if (patterns < MIN_PATTERNS || patterns > MAX_PATTERNS) {
                throw new InvalidConfigException("pattern: 'patterns' must be in " + MIN_PATTERNS + ".." + MAX_PATTERNS
                        + ", got " + patterns);
            }
            if (!(connectivity >= 0 && connectivity < 1)) {
                throw new InvalidConfigException("pattern: 'connectivity' must be in [0,1), got " + connectivity);
            }
        }

        public String scheme() { return "pattern"; }

        public String describe() {
            return "pattern(patterns=" + patterns + ", connectivity=" + connectivity + ", library=" + library.wireName() + ")";
        }
    }

    /** Whether a pattern library is chosen across all pattern-pruned layers of the model or per layer. */
    enum LibraryScope {
        MODEL, LAYER;

        public static LibraryScope parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "model" -> MODEL;
                case "layer" -> LAYER;
                default -> throw new InvalidConfigException("pattern: 'library' must be 'model' or 'layer', got '" + s + "'");
            };
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    record Connectivity(double rate) implements PruneSpec {
        public Connectivity {
            checkRate("connectivity", rate);
        }

        public String scheme() { return "connectivity"; }

        public String describe() { return "connectivity(rate=" + rate + ")"; }
    }

    /** Blocks of {@code rows x cols}; inside each, {@code rate} of the columns (or rows) removed. */
    record Block(double rate, int rows, int cols, boolean alongRows) implements PruneSpec {
        public Block {
            checkRate("block", rate);
            if (rows <= 0 || cols <= 0) {
                throw new InvalidConfigException("block: 'block' must be [rows, cols] with positive sizes, got ["
                        + rows + ", " + cols + "]");
            }
        }

        public String scheme() { return "block"; }

        public String describe() {
            return "block(rate=" + rate + ", block=" + rows + "x" + cols + (alongRows ? ", rows" : "") + ")";
        }
    }

    record Filter(double rate, FilterCriterion criterion) implements PruneSpec {
        public Filter {
            checkRate("filter", rate);
        }

        public String scheme() { return "filter"; }

        public String describe() { return "filter(rate=" + rate + ", criterion=" + criterion.wireName() + ")"; }
    }

    /** How filters are ranked: L2 norm of the filter, or |gamma| of the batch norm that follows it. */
    enum FilterCriterion {
        L2, BN_GAMMA;

        public static FilterCriterion parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT).replace('_', '-')) {
                case "l2" -> L2;
                case "bn-gamma", "bn" -> BN_GAMMA;
                default -> throw new InvalidConfigException("filter: 'criterion' must be 'l2' or 'bn-gamma', got '" + s + "'");
            };
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    record Unstructured(double rate) implements PruneSpec {
        public Unstructured {
            checkRate("unstructured", rate);
        }

        public String scheme() { return "unstructured"; }

        public String describe() { return "unstructured(rate=" + rate + ")"; }
    }

    record None() implements PruneSpec {
        public String scheme() { return "none"; }

        public String describe() { return "none"; }
    }

    private static void checkRate(String scheme, double rate) {
        if (!(rate > 0 && rate < 1)) {
            throw new InvalidConfigException(scheme + ": 'rate' must be in (0,1), got " + rate);
        }
    }
}
