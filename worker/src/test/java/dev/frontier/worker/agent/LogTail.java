package dev.frontier.worker.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The end of a child process's log, for a failure message. */
final class LogTail {
    private LogTail() {
    }

    static String of(Path log) throws IOException {
        String s = Files.exists(log) ? Files.readString(log) : "";
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }
}
