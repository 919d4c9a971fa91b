package dev.frontier.coordinator.job;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** PROFILING until the model has a profile, RUNNING while the search runs, then one final state. */
public enum JobState {
    PROFILING, RUNNING, COMPLETED, CANCELLED, FAILED;

    private static final Map<JobState, Set<JobState>> NEXT = new EnumMap<>(JobState.class);

    static {
        NEXT.put(PROFILING, EnumSet.of(RUNNING, CANCELLED, FAILED));
        NEXT.put(RUNNING, EnumSet.of(COMPLETED, CANCELLED, FAILED));
        NEXT.put(COMPLETED, EnumSet.noneOf(JobState.class));
        NEXT.put(CANCELLED, EnumSet.noneOf(JobState.class));
        NEXT.put(FAILED, EnumSet.noneOf(JobState.class));
    }

    public boolean canMoveTo(JobState next) {
        return NEXT.get(this).contains(next);
    }

    public boolean isFinal() {
        return NEXT.get(this).isEmpty();
    }
}
