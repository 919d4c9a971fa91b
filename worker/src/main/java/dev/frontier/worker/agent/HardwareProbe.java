package dev.frontier.worker.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import jdk.incubator.vector.FloatVector;
import tools.jackson.databind.node.ObjectNode;

/** Detects the hardware profile a device registers with (openapi HardwareProfile). */
public final class HardwareProbe {
    private HardwareProbe() {
    }

    public static ObjectNode detect() {
        ObjectNode h = CoordinatorClient.object();
        h.put("cpuModel", cpuModel());
        h.put("cores", Runtime.getRuntime().availableProcessors());
        h.put("simdBits", FloatVector.SPECIES_PREFERRED.vectorBitSize());
        h.put("memoryMb", memoryMb());
        h.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        h.put("arch", System.getProperty("os.arch"));
        h.put("runtime", "frontier-jvm " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        return h;
    }

    static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String l : lines) {
                if (l.startsWith("model name")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no procfs: fall through to the JVM's view
        }
        return System.getProperty("os.arch") + " cpu";
    }

    static long memoryMb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall back below
        }
        return Runtime.getRuntime().maxMemory() / (1024 * 1024);
    }
}
