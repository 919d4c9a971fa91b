package dev.frontier.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.frontier.worker.data.DataSplits;
import dev.frontier.worker.data.DatasetException;
import dev.frontier.worker.data.Datasets;

/** An uploaded dataset archive (zip) as a worker unpacks and reads it; real Fashion-MNIST IDX files. */
class LeaseDatasetsTest {
    @Test
    void anUploadedIdxArchiveReadsLikeTheLocalDataset(@TempDir Path tmp) throws IOException {
        Path src = Datasets.datasetsDir().resolve("fashion-mnist");
        Path zip = tmp.resolve("upload.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (String f : new String[] {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                    "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
                out.putNextEntry(new ZipEntry("my-data/" + f));
                Files.copy(src.resolve(f), out);
                out.closeEntry();
            }
        }
        Path target = tmp.resolve("datasets").resolve("abc");
        Files.createDirectories(target.getParent());
        LeaseDatasets.unzip(zip, target);
        DataSplits up = Datasets.resolve("idx:" + LeaseDatasets.idxDir(target));
        DataSplits local = Datasets.fashionMnist();
        assertThat(up.test().size()).isEqualTo(local.test().size());
        assertThat(up.train().size()).isEqualTo(local.train().size());
        assertThat(up.test().labels()).isEqualTo(local.test().labels());
        assertThat(Files.exists(target.resolveSibling("abc.part"))).as("no half-unpacked leftovers").isFalse();
    }

    @Test
    void anEntryOutsideTheRootIsRefused(@TempDir Path tmp) throws IOException {
        Path zip = tmp.resolve("evil.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("../../escaped.txt"));
            try (OutputStream ignored = OutputStream.nullOutputStream()) {
                out.write("x".getBytes());
            }
            out.closeEntry();
        }
        assertThatThrownBy(() -> LeaseDatasets.unzip(zip, tmp.resolve("d")))
                .isInstanceOf(DatasetException.class).hasMessageContaining("outside its root");
        assertThat(Files.exists(tmp.resolve("escaped.txt"))).isFalse();
        assertThat(Files.exists(tmp.getParent().resolve("escaped.txt"))).isFalse();
    }
}
