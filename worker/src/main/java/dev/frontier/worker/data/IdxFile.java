package dev.frontier.worker.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * One IDX file (the MNIST family's format): a big-endian magic {@code 0x0000 TT DD} (TT the element
 * type, DD the number of dimensions), DD big-endian int32 sizes, then the elements. Only unsigned
 * bytes (type 0x08) are supported, which is what image and label files use. Gzip is detected from the
 * content, not the file name.
 */
public record IdxFile(int[] dims, byte[] data) {
    static final int UNSIGNED_BYTE = 0x08;
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    public IdxFile {
        dims = dims.clone();
    }

    public int count() {
        return dims[0];
    }

    /** Elements per item (product of every dimension after the first). */
    public int itemSize() {
        int n = 1;
        for (int i = 1; i < dims.length; i++) {
            n *= dims[i];
        }
        return n;
    }

    /** Reads and validates {@code file}; {@code expectedRank} is 3 for images, 1 for labels (0 = any). */
    public static IdxFile read(Path file, int expectedRank) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return parse(maybeGunzip(raw), expectedRank, file.toString());
        } catch (NoSuchFileException e) {
            throw new DatasetException("IDX file not found: " + file);
        } catch (EOFException e) {
            throw new DatasetException(file + ": truncated IDX file (ends before all data declared in its header)");
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read IDX file: " + e.getMessage(), e);
        }
    }

    static IdxFile parse(InputStream in, int expectedRank, String what) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int magic = d.readInt();
        int type = (magic >>> 8) & 0xff;
        int rank = magic & 0xff;
        if ((magic >>> 16) != 0 || rank == 0) {
            throw new DatasetException(what + ": not an IDX file (bad magic number 0x"
                    + String.format("%08x", magic) + ")");
        }
        if (type != UNSIGNED_BYTE) {
            throw new DatasetException(what + ": IDX element type 0x" + Integer.toHexString(type)
                    + " is not supported (only unsigned bytes, 0x08)");
        }
        if (expectedRank > 0 && rank != expectedRank) {
            throw new DatasetException(what + ": expected an IDX file with " + expectedRank + " dimension(s), found "
                    + rank + " (magic 0x" + String.format("%08x", magic) + ")");
        }
        int[] dims = new int[rank];
        long total = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = d.readInt();
            if (dims[i] < 0) {
                throw new DatasetException(what + ": negative dimension " + dims[i] + " in IDX header");
            }
            total *= dims[i];
            if (total > MAX_ELEMENTS) {
                throw new DatasetException(what + ": IDX dimensions " + Arrays.toString(dims) + " are too large");
            }
        }
        byte[] data = new byte[(int) total];
        d.readFully(data);
        if (d.read() != -1) {
            throw new DatasetException(what + ": IDX file has data after the " + total
                    + " elements its header declares " + Arrays.toString(dims));
        }
        return new IdxFile(dims, data);
    }

    private static InputStream maybeGunzip(InputStream in) throws IOException {
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return (b1 == 0x1f && b2 == 0x8b) ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
    }
}
