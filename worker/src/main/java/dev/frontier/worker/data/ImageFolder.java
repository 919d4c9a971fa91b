package dev.frontier.worker.data;

import dev.frontier.worker.model.Shape;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Users' own images: one sub-folder per class (folder name = class name, sorted), PNG/JPEG/BMP/GIF
 * files inside, converted to grayscale (1 channel) or RGB (3 channels) and resized to the model's
 * input with bilinear interpolation.
 *
 * <p>Splits: if the root holds {@code train/} and {@code test/} (each with class folders, and
 * optionally {@code validation/} or {@code val/}), those are used; otherwise the images are shuffled
 * with a fixed seed and split 70/10/20 (train/validation/test).
 */
public final class ImageFolder {
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    private ImageFolder() {
    }

    public static DataSplits load(Path root, Shape input) {
        if (!Files.isDirectory(root)) {
            throw new DatasetException("image folder not found: " + root);
        }
        String name = "folder:" + root;
        Path train = root.resolve("train");
        Path test = root.resolve("test");
        Dataset tr;
        Dataset va;
        Dataset te;
        if (Files.isDirectory(train) && Files.isDirectory(test)) {
            List<String> classes = classFolders(train);
            tr = read(name, train, input, classes);
            te = read(name, test, input, classes);
            Path val = Files.isDirectory(root.resolve("validation")) ? root.resolve("validation") : root.resolve("val");
            va = Files.isDirectory(val) ? read(name, val, input, classes) : tr.slice(tr.size(), tr.size());
        } else {
            Dataset all = read(name, root, input, classFolders(root)).shuffled(0);
            int nTest = Math.max(1, all.size() / 5);
            int nVal = all.size() / 10;
            te = all.slice(0, nTest);
            va = all.slice(nTest, nTest + nVal);
            tr = all.slice(nTest + nVal, all.size());
        }
        Normalization norm = tr.size() > 0 ? Normalization.fit(pixels(tr)) : Normalization.NONE;
        return new DataSplits(name, tr.normalized(norm), va.normalized(norm), te.normalized(norm));
    }

    /** Every image under {@code dir}'s class folders {@code classes} (raw [0, 1] pixels). */
    public static Dataset read(String name, Path dir, Shape input, List<String> classes) {
        if (input.c() != 1 && input.c() != 3) {
            throw new DatasetException("image folders feed 1- or 3-channel models, not " + input.c() + " channels");
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            Path classDir = dir.resolve(classes.get(c));
            if (!Files.isDirectory(classDir)) {
                throw new DatasetException(dir + ": class folder '" + classes.get(c) + "' is missing");
            }
            for (Path f : imagesIn(classDir)) {
                files.add(f);
                labels.add(c);
            }
        }
        if (files.isEmpty()) {
            throw new DatasetException(dir + ": no images (" + String.join(", ", EXTENSIONS) + ") in its class folders");
        }
        int n = input.size();
        float[] px = new float[files.size() * n];
        for (int i = 0; i < files.size(); i++) {
            decode(files.get(i), input, px, i * n);
        }
        int[] l = labels.stream().mapToInt(Integer::intValue).toArray();
        return new Dataset(name, input, px, l, classes, Normalization.NONE);
    }

    static List<String> classFolders(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> classes = s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(f -> !f.startsWith(".")).sorted().toList();
            if (classes.size() < 2) {
                throw new DatasetException(dir + ": an image folder needs one sub-folder per class (at least 2), found "
                        + classes);
            }
            return classes;
        } catch (IOException e) {
            throw new DatasetException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> imagesIn(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> {
                String f = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return EXTENSIONS.stream().anyMatch(f::endsWith);
            }).sorted().toList();
        } catch (IOException e) {
            throw new DatasetException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void decode(Path file, Shape input, float[] dst, int offset) {
        BufferedImage src;
        try {
            src = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot decode image: " + e.getMessage(), e);
        }
        if (src == null) {
            throw new DatasetException(file + ": not a readable PNG/JPEG/BMP/GIF image");
        }
        boolean gray = input.c() == 1;
        BufferedImage img = new BufferedImage(input.w(), input.h(),
                gray ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(src, 0, 0, input.w(), input.h(), null);
        } finally {
            g.dispose();
        }
        int plane = input.h() * input.w();
        if (gray) {
            byte[] b = new byte[plane];
            img.getRaster().getDataElements(0, 0, input.w(), input.h(), b);
            for (int i = 0; i < plane; i++) {
                dst[offset + i] = (b[i] & 0xff) / 255f;
            }
        } else {
            for (int y = 0; y < input.h(); y++) {
                for (int x = 0; x < input.w(); x++) {
                    int rgb = img.getRGB(x, y);
                    int p = y * input.w() + x;
                    dst[offset + p] = ((rgb >> 16) & 0xff) / 255f;
                    dst[offset + plane + p] = ((rgb >> 8) & 0xff) / 255f;
                    dst[offset + 2 * plane + p] = (rgb & 0xff) / 255f;
                }
            }
        }
    }

    private static float[] pixels(Dataset d) {
        float[] f = new float[d.size() * d.inputShape().size()];
        for (int i = 0; i < d.size(); i++) {
            d.copyImage(i, f, i * d.inputShape().size());
        }
        return f;
    }
}
