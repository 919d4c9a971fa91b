package dev.frontier.worker.data;

import dev.frontier.worker.model.Shape;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves a dataset name (as a job names it) to its splits. Loaded datasets are cached per JVM:
 * a worker evaluates many trials on the same data.
 *
 * <ul>
 *   <li>{@code fashion-mnist} (also {@code fashion_mnist}, {@code fmnist}): Debian's
 *       {@code dataset-fashion-mnist} under the datasets directory</li>
 *   <li>{@code idx:/path/dir} or {@code idx:/path/prefix-}: any IDX quadruple
 *       ({@code train-images-idx3-ubyte[.gz]} etc. in the directory or after the prefix)</li>
 *   <li>{@code folder:/path}: an image folder (see {@link ImageFolder})</li>
 * </ul>
 *
 * <p>The datasets directory is the system property {@value #DIR_PROPERTY}, else the environment
 * variable {@value #DIR_ENV}, else {@value #DEFAULT_DIR}.
 */
public final class Datasets {
    public static final String DIR_PROPERTY = "frontier.datasets.dir";
    public static final String DIR_ENV = "FRONTIER_DATASETS_DIR";
    public static final String DEFAULT_DIR = "/usr/share/datasets";
    public static final String FASHION_MNIST = "fashion-mnist";
    /** Input shape assumed when the caller does not give one (the zoo's). */
    public static final Shape DEFAULT_INPUT = new Shape(1, 28, 28);

    private static final Map<String, DataSplits> CACHE = new ConcurrentHashMap<>();

    private Datasets() {
    }

    public static DataSplits resolve(String name) {
        return resolve(name, DEFAULT_INPUT);
    }

    /** {@code input} only matters for image folders, whose pictures are resized to it. */
    public static DataSplits resolve(String name, Shape input) {
        if (name == null || name.isBlank()) {
            throw new DatasetException("no dataset name given; " + knownForms());
        }
        String n = name.trim();
        String lower = n.toLowerCase(Locale.ROOT);
        if (lower.startsWith("idx:")) {
            Path p = Path.of(n.substring(4));
            return CACHE.computeIfAbsent("idx:" + p.toAbsolutePath(),
                    k -> IdxDatasets.load(n, p, null, IdxDatasets.DEFAULT_VALIDATION));
        }
        if (lower.startsWith("folder:")) {
            Path p = Path.of(n.substring(7));
            return CACHE.computeIfAbsent("folder:" + p.toAbsolutePath() + "@" + input, k -> ImageFolder.load(p, input));
        }
        return switch (lower) {
            case "fashion-mnist", "fashion_mnist", "fashionmnist", "fmnist" -> fashionMnist();
            default -> throw new DatasetException("unknown dataset '" + name + "'; " + knownForms());
        };
    }

    public static DataSplits fashionMnist() {
        Path dir = datasetsDir().resolve("fashion-mnist");
        if (!Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz"))
                && !Files.isRegularFile(dir.resolve("train-images-idx3-ubyte"))) {
            throw new DatasetException("Fashion-MNIST not found in " + dir + ". Install the Debian package "
                    + "'dataset-fashion-mnist' (apt-get install dataset-fashion-mnist), or point the system property "
                    + DIR_PROPERTY + " or the environment variable " + DIR_ENV
                    + " at a directory holding fashion-mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz");
        }
        return CACHE.computeIfAbsent("fashion-mnist:" + dir.toAbsolutePath(), k -> IdxDatasets.load(FASHION_MNIST, dir,
                IdxDatasets.FASHION_MNIST_CLASSES, IdxDatasets.DEFAULT_VALIDATION));
    }

    public static Path datasetsDir() {
        String p = System.getProperty(DIR_PROPERTY);
        if (p == null || p.isBlank()) {
            p = System.getenv(DIR_ENV);
        }
        if (p == null || p.isBlank()) {
            p = DEFAULT_DIR;
        }
        return Path.of(p);
    }

    /** Drops cached datasets (tests, or a worker that wants its memory back). */
    public static void clearCache() {
        CACHE.clear();
    }

    private static String knownForms() {
        return "known: 'fashion-mnist', 'idx:/dir/or/prefix', 'folder:/path/to/class-folders'";
    }
}
