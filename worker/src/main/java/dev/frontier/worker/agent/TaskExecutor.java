package dev.frontier.worker.agent;

/** Does the work behind one lease: PROFILE, BUILD or MEASURE. */
public interface TaskExecutor {
    TaskResult execute(Lease lease, Progress progress) throws TaskFailure;
}
