package dev.frontier.coordinator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * CPU used by the coordinator processes and by PostgreSQL (postmaster and backends), and how busy
 * the whole machine was: the per-cycle cost of each side, and whether the machine was saturated
 * (other tenants of a shared machine count there too).
 */
final class ProcessCpu {
    private final long[] coordinators;
    private final long[] postgres;

    ProcessCpu(long[] coordinators, long[] postgres) {
        this.coordinators = coordinators;
        this.postgres = postgres;
    }

    record Snapshot(long coordinatorsMs, long postgresMs, long machineBusyTicks, long machineTotalTicks) {
        double machineBusyPercentSince(Snapshot before) {
            long total = machineTotalTicks - before.machineTotalTicks;
            return total <= 0 ? 0 : 100.0 * (machineBusyTicks - before.machineBusyTicks) / total;
        }
    }

    Snapshot snapshot() {
        long[] machine = machine();
        return new Snapshot(sum(coordinators), sum(postgres), machine[0], machine[1]);
    }

    private static long sum(long[] roots) {
        return Arrays.stream(roots).map(CpuClock::treeCpuMillis).sum();
    }

    /** Busy and total ticks over all CPUs from /proc/stat (idle and iowait are not busy). */
    private static long[] machine() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            // user nice system idle iowait irq softirq steal; guest time is already inside user/nice
            for (int i = 1; i <= 8 && i < f.length; i++) total += Long.parseLong(f[i]);
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }
}
