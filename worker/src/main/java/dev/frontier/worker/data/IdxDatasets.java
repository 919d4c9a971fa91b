package dev.frontier.worker.data;

import dev.frontier.worker.model.Shape;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Datasets stored as IDX pairs ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-...}), raw or gzipped: MNIST, Fashion-MNIST, KMNIST and friends.
 */
public final class IdxDatasets {
    public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** The last this-many training images form the validation split. */
    public static final int DEFAULT_VALIDATION = 5000;

    private IdxDatasets() {
    }

    /** Images and labels of one IDX pair as a dataset of raw [0, 1] pixels (no normalization yet). */
    public static Dataset read(String name, Path images, Path labels, List<String> classNames) {
        IdxFile im = IdxFile.read(images, 3);
        IdxFile lb = IdxFile.read(labels, 1);
        if (im.count() != lb.count()) {
            throw new DatasetException("dimension mismatch: " + images + " holds " + im.count() + " images but "
                    + labels + " holds " + lb.count() + " labels");
        }
        Shape shape;
        try {
            shape = new Shape(1, im.dims()[1], im.dims()[2]);
        } catch (IllegalArgumentException e) {
            throw new DatasetException(images + ": bad image size " + Arrays.toString(im.dims()));
        }
        byte[] px = im.data();
        float[] f = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            f[i] = (px[i] & 0xff) / 255f;
        }
        int[] l = new int[lb.count()];
        int max = -1;
        for (int i = 0; i < l.length; i++) {
            l[i] = lb.data()[i] & 0xff;
            max = Math.max(max, l[i]);
        }
        List<String> names = classNames;
        if (names == null || names.size() <= max) {
            if (names != null) {
                throw new DatasetException(labels + ": label " + max + " found, but the dataset has only "
                        + names.size() + " classes");
            }
            names = new ArrayList<>();
            for (int c = 0; c <= max; c++) {
                names.add(Integer.toString(c));
            }
        }
        return new Dataset(name, shape, f, l, names, Normalization.NONE);
    }

    /**
     * Loads the four files found at {@code prefix}: a directory holding
     * {@code {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]}, or a path prefix those names are
     * appended to. The last {@code validation} training images become the validation split; the
     * normalization is fitted on the remaining training images and applied to all three splits.
     */
    public static DataSplits load(String name, Path prefix, List<String> classNames, int validation) {
        Path trainImages = find(prefix, "train-images-idx3-ubyte");
        Path trainLabels = find(prefix, "train-labels-idx1-ubyte");
        Path testImages = find(prefix, "t10k-images-idx3-ubyte");
        Path testLabels = find(prefix, "t10k-labels-idx1-ubyte");
        Dataset all = read(name, trainImages, trainLabels, classNames);
        Dataset test = read(name, testImages, testLabels, classNames);
        if (!all.inputShape().equals(test.inputShape())) {
            throw new DatasetException("dimension mismatch: training images are " + all.inputShape()
                    + " but test images are " + test.inputShape());
        }
        if (test.classes() != all.classes()) {
            List<String> names = all.classes() >= test.classes() ? all.classNames() : test.classNames();
            all = new Dataset(name, all.inputShape(), rawPixels(all), all.labels(), names, Normalization.NONE);
            test = new Dataset(name, test.inputShape(), rawPixels(test), test.labels(), names, Normalization.NONE);
        }
        if (validation < 0 || validation >= all.size()) {
            throw new DatasetException("validation size " + validation + " must be in [0, " + all.size() + ")");
        }
        Dataset train = all.slice(0, all.size() - validation);
        Dataset val = all.slice(all.size() - validation, all.size());
        Normalization norm = Normalization.fit(rawPixels(train));
        return new DataSplits(name, train.normalized(norm), val.normalized(norm), test.normalized(norm));
    }

    private static float[] rawPixels(Dataset d) {
        float[] f = new float[d.size() * d.inputShape().size()];
        for (int i = 0; i < d.size(); i++) {
            d.copyImage(i, f, i * d.inputShape().size());
        }
        if (!d.normalization().isIdentity()) {
            for (int i = 0; i < f.length; i++) {
                f[i] = d.normalization().invert(f[i]);
            }
        }
        return f;
    }

    private static Path find(Path prefix, String file) {
        List<Path> candidates = new ArrayList<>();
        if (Files.isDirectory(prefix)) {
            candidates.add(prefix.resolve(file + ".gz"));
            candidates.add(prefix.resolve(file));
        } else {
            candidates.add(Path.of(prefix + file + ".gz"));
            candidates.add(Path.of(prefix + file));
        }
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new DatasetException("IDX file not found: " + candidates.get(0) + " (or " + candidates.get(1) + ")");
    }
}
