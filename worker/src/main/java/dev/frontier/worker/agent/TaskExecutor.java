package dev.frontier.worker.agent;

import java.util.List;
import java.util.Map;

/** Does the work behind one lease: PROFILE, BUILD or MEASURE. */
public interface TaskExecutor {
    TaskResult execute(Lease lease, Progress progress) throws TaskFailure;

    /** The runtimes MEASURE tasks can use here, as the device declares them (openapi DeviceRuntime). */
    default List<Map<String, Object>> runtimes() {
        return List.of(Map.of("name", "frontier-jvm"));
    }
}
