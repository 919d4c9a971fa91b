package dev.frontier.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {
    @TempDir
    Path dir;

    static byte[] idx(int type, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt((type << 8) | dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    @Test
    void readsRawAndGzippedAlike() throws IOException {
        byte[] data = new byte[2 * 3 * 4];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 10);
        }
        byte[] raw = idx(0x08, new int[] {2, 3, 4}, data);
        Path r = Files.write(dir.resolve("a-idx3-ubyte"), raw);
        Path g = Files.write(dir.resolve("b.gz"), gzip(raw));
        for (Path p : new Path[] {r, g}) {
            IdxFile f = IdxFile.read(p, 3);
            assertThat(f.dims()).containsExactly(2, 3, 4);
            assertThat(f.count()).isEqualTo(2);
            assertThat(f.itemSize()).isEqualTo(12);
            assertThat(f.data()).isEqualTo(data);
        }
    }

    @Test
    void rejectsWrongMagic() throws IOException {
        Path p = Files.write(dir.resolve("bad"), "this is not an idx file at all".getBytes());
        assertThatThrownBy(() -> IdxFile.read(p, 3)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("bad magic number").hasMessageContaining(p.toString());
    }

    @Test
    void rejectsWrongRankAndType() throws IOException {
        Path labels = Files.write(dir.resolve("labels"), idx(0x08, new int[] {3}, new byte[3]));
        assertThatThrownBy(() -> IdxFile.read(labels, 3)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("expected an IDX file with 3 dimension(s), found 1");
        Path floats = Files.write(dir.resolve("floats"), idx(0x0D, new int[] {1}, new byte[4]));
        assertThatThrownBy(() -> IdxFile.read(floats, 1)).hasMessageContaining("element type 0xd is not supported");
    }

    @Test
    void rejectsTruncatedAndOverlongFiles() throws IOException {
        byte[] full = idx(0x08, new int[] {10, 2, 2}, new byte[40]);
        Path cut = Files.write(dir.resolve("cut.gz"), gzip(Arrays.copyOf(full, full.length - 7)));
        assertThatThrownBy(() -> IdxFile.read(cut, 3)).isInstanceOf(DatasetException.class).hasMessageContaining("truncated");
        Path headerOnly = Files.write(dir.resolve("header"), Arrays.copyOf(full, 6));
        assertThatThrownBy(() -> IdxFile.read(headerOnly, 3)).hasMessageContaining("truncated");
        Path longer = Files.write(dir.resolve("long"), Arrays.copyOf(full, full.length + 3));
        assertThatThrownBy(() -> IdxFile.read(longer, 3)).hasMessageContaining("data after the 40 elements");
    }

    @Test
    void missingFileIsNamed() {
        Path p = dir.resolve("nope.gz");
        assertThatThrownBy(() -> IdxFile.read(p, 1)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("not found").hasMessageContaining(p.toString());
    }

    @Test
    void imageLabelCountMismatchIsReported() throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte"), idx(0x08, new int[] {4, 2, 2}, new byte[16]));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), idx(0x08, new int[] {3}, new byte[] {0, 1, 2}));
        assertThatThrownBy(() -> IdxDatasets.read("t", dir.resolve("train-images-idx3-ubyte"),
                dir.resolve("train-labels-idx1-ubyte"), null))
                .isInstanceOf(DatasetException.class).hasMessageContaining("dimension mismatch")
                .hasMessageContaining("4 images").hasMessageContaining("3 labels");
    }

    @Test
    void idxPrefixResolvesAndSplits() throws IOException {
        byte[] px = new byte[20 * 4];
        byte[] lb = new byte[20];
        for (int i = 0; i < 20; i++) {
            lb[i] = (byte) (i % 3);
            Arrays.fill(px, i * 4, i * 4 + 4, (byte) (i * 12));
        }
        Files.write(dir.resolve("x-train-images-idx3-ubyte.gz"), gzip(idx(8, new int[] {20, 2, 2}, px)));
        Files.write(dir.resolve("x-train-labels-idx1-ubyte.gz"), gzip(idx(8, new int[] {20}, lb)));
        Files.write(dir.resolve("x-t10k-images-idx3-ubyte"), idx(8, new int[] {5, 2, 2}, Arrays.copyOf(px, 20)));
        Files.write(dir.resolve("x-t10k-labels-idx1-ubyte"), idx(8, new int[] {5}, Arrays.copyOf(lb, 5)));
        DataSplits s = IdxDatasets.load("x", Path.of(dir + "/x-"), null, 4);
        assertThat(s.train().size()).isEqualTo(16);
        assertThat(s.validation().size()).isEqualTo(4);
        assertThat(s.test().size()).isEqualTo(5);
        assertThat(s.train().classes()).isEqualTo(3);
        assertThat(s.train().inputShape().toArray()).containsExactly(1, 2, 2);
        // validation is the tail of the training file, normalized with the training statistics
        assertThat(s.validation().label(0)).isEqualTo(16 % 3);
        Normalization n = s.normalization();
        assertThat(n.invert(s.validation().image(0)[0])).isCloseTo(16 * 12 / 255f, org.assertj.core.data.Offset.offset(1e-5f));
    }
}
