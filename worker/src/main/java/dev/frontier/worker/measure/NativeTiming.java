package dev.frontier.worker.measure;


import java.util.Map;

/**
 * A harness timing with where it was taken: {@code target} is the triple the code was built for and
 * {@code emulated} is true when the harness ran under an emulator (qemu-user), whose milliseconds say
 * nothing of any device: callers keep such timings out of a frontier and out of a bench table.
 */
public record NativeTiming(LatencyResult latency, String target, boolean emulated) {

    /** {@link LatencyResult#toMap()} plus {@code "target"} and {@code "emulated"}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = latency.toMap();
        m.put("target", target);
        m.put("emulated", emulated);
        return m;
    }
}
