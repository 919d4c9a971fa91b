package dev.frontier.worker.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import dev.frontier.worker.data.DataSplits;
import dev.frontier.worker.data.DatasetException;
import dev.frontier.worker.data.Datasets;

/**
 * The data a lease names. A dataset registered by name (fashion-mnist, idx:/dir, folder:/dir) is
 * resolved locally; one uploaded through the API ({@code POST /datasets/upload}, a zip archive) is
 * downloaded by its sha256, checked, unpacked once per worker under {@code work-dir/datasets/<sha256>}
 * and read by its kind: {@code idx} (the four IDX files, gzipped or not, anywhere in the archive) or
 * {@code image-folder} (class folders, optionally under train/validation/test).
 */
final class LeaseDatasets {
    /** An archive may unpack to at most this many bytes (a zip bomb is a user error, not a full disk). */
    static final long MAX_UNPACKED = 4L << 30;
    private final ArtifactCache cache;
    private final Path dir;
    private String carvedKey;
    private DataSplits carved;

    LeaseDatasets(ArtifactCache cache, Path workDir) {
        this.cache = cache;
        this.dir = workDir.resolve("datasets");
    }

    /** The lease's splits, with the job's validation carve applied when it names one. */
    DataSplits splits(Lease lease) throws TaskFailure {
        try {
            DataSplits d = lease.datasetSha256() != null ? uploaded(lease) : Datasets.resolve(lease.dataset());
            if (lease.validation() == null) {
                return d;
            }
            // a carve copies the whole training set: keep the last one, as every trial of a job asks for it
            String key = lease.dataset() + "@" + lease.datasetSha256() + "/" + lease.validation();
            synchronized (this) {
                if (!key.equals(carvedKey)) {
                    carved = d.carveValidation(lease.validation().fraction(), lease.validation().seed());
                    carvedKey = key;
                }
                return carved;
            }
        } catch (IllegalArgumentException | DatasetException e) {
            throw new TaskFailure("DATASET", e.getMessage(), false);
        }
    }

    private DataSplits uploaded(Lease lease) throws TaskFailure {
        String sha = lease.datasetSha256();
        Path target = dir.resolve(sha);
        if (!Files.isDirectory(target)) {
            Path archive = ModelLoader.fetch(cache, sha, "dataset '" + lease.dataset() + "'");
            unzip(archive, target);
        }
        String kind = lease.datasetKind() == null ? "" : lease.datasetKind().toLowerCase(Locale.ROOT);
        return switch (kind) {
            case "idx", "fashion-mnist", "mnist" -> Datasets.resolve("idx:" + idxDir(target));
            case "image-folder", "folder", "imagefolder" -> Datasets.resolve("folder:" + target);
            default -> throw new DatasetException("uploaded dataset '" + lease.dataset() + "' has kind '" + lease.datasetKind()
                    + "'; uploads must be of kind 'idx' or 'image-folder' (a zip archive)");
        };
    }

    /** The directory of the archive that holds the IDX files (archives often wrap them in a folder). */
    static Path idxDir(Path root) {
        try (var files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().startsWith("train-images-idx3-ubyte"))
                    .map(Path::getParent).findFirst()
                    .orElseThrow(() -> new DatasetException("the uploaded archive holds no train-images-idx3-ubyte[.gz]"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unpacks into a temporary sibling, then renames: a half-unpacked archive is never used. */
    static void unzip(Path archive, Path target) {
        Path tmp = target.resolveSibling(target.getFileName() + ".part");
        long total = 0;
        try {
            Files.createDirectories(tmp);
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(archive))) {
                ZipEntry e;
                int entries = 0;
                while ((e = in.getNextEntry()) != null) {
                    entries++;
                    Path out = tmp.resolve(e.getName()).normalize();
                    if (!out.startsWith(tmp)) {
                        throw new DatasetException("the dataset archive has an entry outside its root: " + e.getName());
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(out);
                        continue;
                    }
                    Files.createDirectories(out.getParent());
                    total += Files.copy(limited(in, MAX_UNPACKED - total), out, StandardCopyOption.REPLACE_EXISTING);
                }
                if (entries == 0) {
                    throw new DatasetException("the uploaded dataset is not a zip archive (or is empty)");
                }
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the dataset archive: " + e.getMessage(), e);
        }
    }

    private static InputStream limited(InputStream in, long left) {
        return new InputStream() {
            long remaining = left;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0 && (remaining -= n) < 0) {
                    throw new DatasetException("the dataset archive unpacks to more than " + (MAX_UNPACKED >> 30) + " GiB");
                }
                return n;
            }
        };
    }
}
