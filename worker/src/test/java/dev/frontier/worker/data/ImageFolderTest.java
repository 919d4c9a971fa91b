package dev.frontier.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.frontier.worker.model.Shape;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path root;

    private void image(Path dir, String file, Color color, String format) throws IOException {
        Files.createDirectories(dir);
        BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, 40, 30);
        g.dispose();
        ImageIO.write(img, format, dir.resolve(file).toFile());
    }

    @Test
    void classFoldersBecomeLabelsAndImagesAreResized() throws IOException {
        for (int i = 0; i < 5; i++) {
            image(root.resolve("train/black"), "b" + i + ".png", Color.BLACK, "png");
            image(root.resolve("train/white"), "w" + i + ".jpg", Color.WHITE, "jpg");
        }
        image(root.resolve("test/black"), "b.png", Color.BLACK, "png");
        image(root.resolve("test/white"), "w.png", Color.WHITE, "png");
        Files.writeString(root.resolve("train/white/readme.txt"), "ignored");

        DataSplits s = Datasets.resolve("folder:" + root, new Shape(1, 28, 28));
        assertThat(s.train().classNames()).containsExactly("black", "white");
        assertThat(s.train().size()).isEqualTo(10);
        assertThat(s.test().size()).isEqualTo(2);
        assertThat(s.validation().size()).isZero();
        assertThat(s.test().inputShape().toArray()).containsExactly(1, 28, 28);
        Dataset raw = s.test().normalized(Normalization.NONE);
        assertThat(raw.label(0)).isZero();
        assertThat(raw.image(0)[100]).isLessThan(0.01f);
        assertThat(raw.image(1)[100]).isGreaterThan(0.98f);

        DataSplits rgb = ImageFolder.load(root, new Shape(3, 8, 8));
        assertThat(rgb.test().image(0)).hasSize(3 * 8 * 8);
    }

    @Test
    void flatFolderIsSplitDeterministically() throws IOException {
        for (int i = 0; i < 10; i++) {
            image(root.resolve("a"), i + ".png", Color.GRAY, "png");
            image(root.resolve("b"), i + ".png", Color.RED, "png");
        }
        DataSplits s1 = ImageFolder.load(root, new Shape(1, 6, 6));
        DataSplits s2 = ImageFolder.load(root, new Shape(1, 6, 6));
        assertThat(s1.test().size() + s1.validation().size() + s1.train().size()).isEqualTo(20);
        assertThat(s1.test().size()).isEqualTo(4);
        assertThat(s1.test().labels()).isEqualTo(s2.test().labels());
    }

    @Test
    void badImagesAndLayoutsAreReported() throws IOException {
        assertThatThrownBy(() -> ImageFolder.load(root.resolve("missing"), new Shape(1, 28, 28)))
                .isInstanceOf(DatasetException.class).hasMessageContaining("not found");
        image(root.resolve("only"), "x.png", Color.BLACK, "png");
        assertThatThrownBy(() -> ImageFolder.load(root, new Shape(1, 28, 28)))
                .hasMessageContaining("one sub-folder per class");
        image(root.resolve("other"), "y.png", Color.BLACK, "png");
        Files.writeString(root.resolve("other/broken.png"), "not a png");
        assertThatThrownBy(() -> ImageFolder.load(root, new Shape(1, 28, 28)))
                .isInstanceOf(DatasetException.class).hasMessageContaining("broken.png");
    }
}
