package dev.frontier.coordinator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of this JVM plus any child processes (the embedded PostgreSQL detaches, so in practice the JVM only),
 * from /proc. On a shared machine wall-clock throughput depends on the neighbours; CPU per cycle
 * does not, so the table reports both.
 */
final class CpuClock {
    private static final double TICKS_PER_MS = 100 / 1000.0; // USER_HZ is 100 on Linux

    private CpuClock() {
    }

    static long treeCpuMillis() {
        return treeCpuMillis(ProcessHandle.current().pid());
    }

    /** CPU time of process {@code root} and its descendants (e.g. a PostgreSQL postmaster and its backends). */
    static long treeCpuMillis(long root) {
        long self = root;
        Map<Long, Long> parent = new HashMap<>();
        Map<Long, Long> ticks = new HashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long pid = Long.parseLong(p.getFileName().toString());
                    parent.put(pid, Long.parseLong(f[1]));
                    ticks.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12]));
                } catch (IOException | RuntimeException gone) {
                    // the process exited while we looked
                }
            }
        } catch (IOException e) {
            return 0;
        }
        long total = 0;
        for (Map.Entry<Long, Long> e : ticks.entrySet()) {
            if (descends(e.getKey(), self, parent)) total += e.getValue();
        }
        return Math.round(total / TICKS_PER_MS);
    }

    /** CPU time of this JVM's JIT compiler threads (their names start with C1/C2 CompilerThread). */
    static long compilerCpuMillis() {
        long total = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (!name.contains("CompilerThre")) continue;
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    total += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended while we looked
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return Math.round(total / TICKS_PER_MS);
    }

    private static boolean descends(long pid, long ancestor, Map<Long, Long> parent) {
        for (int depth = 0; depth < 16; depth++) {
            if (pid == ancestor) return true;
            Long up = parent.get(pid);
            if (up == null || up <= 1) return false;
            pid = up;
        }
        return false;
    }

}
