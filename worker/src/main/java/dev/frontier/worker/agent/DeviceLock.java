package dev.frontier.worker.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps heavy work off a device while it is being measured, across every worker process on the
 * machine: builds hold the lock shared, a measurement holds it exclusively, so a measurement waits
 * for running builds to finish and no build starts until the measurement is done.
 */
public final class DeviceLock {
    private final Path file;

    public DeviceLock(Path file) {
        this.file = file;
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file.getParent(), e);
        }
    }

    public Held shared() {
        return acquire(true);
    }

    public Held exclusive() {
        return acquire(false);
    }

    private Held acquire(boolean shared) {
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            FileLock lock = ch.lock(0, Long.MAX_VALUE, shared);
            return new Held(ch, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file, e);
        }
    }

    /** A held lock; closing releases it. */
    public static final class Held implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        Held(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() {
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                // the lock dies with the channel anyway
            }
        }
    }
}
