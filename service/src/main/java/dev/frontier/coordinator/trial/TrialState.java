package dev.frontier.coordinator.trial;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A trial's life: built once (compress, fine-tune, compile, evaluate), then measured on every
 * target device. The table below is the only authority on which moves are legal; DONE, FAILED and
 * CANCELLED are final so a finished trial, and the results it holds, never change again.
 */
public enum TrialState {
    QUEUED, BUILDING, BUILT, MEASURING, DONE, FAILED, CANCELLED;

    private static final Map<TrialState, Set<TrialState>> NEXT = new EnumMap<>(TrialState.class);

    static {
        NEXT.put(QUEUED, EnumSet.of(BUILDING, FAILED, CANCELLED));
        // BUILDING -> QUEUED: the build lease was lost (expired or failed retryably) and goes back to the queue
        NEXT.put(BUILDING, EnumSet.of(BUILT, QUEUED, FAILED, CANCELLED));
        NEXT.put(BUILT, EnumSet.of(MEASURING, FAILED, CANCELLED));
        NEXT.put(MEASURING, EnumSet.of(DONE, FAILED, CANCELLED));
        NEXT.put(DONE, EnumSet.noneOf(TrialState.class));
        NEXT.put(FAILED, EnumSet.noneOf(TrialState.class));
        NEXT.put(CANCELLED, EnumSet.noneOf(TrialState.class));
    }

    public boolean canMoveTo(TrialState next) {
        return NEXT.get(this).contains(next);
    }

    public boolean isFinal() {
        return NEXT.get(this).isEmpty();
    }

    /** Every state the table allows to move to {@code next}: the guard of a set-based UPDATE. */
    public static Set<TrialState> sourcesOf(TrialState next) {
        Set<TrialState> sources = EnumSet.noneOf(TrialState.class);
        for (TrialState s : values()) if (s.canMoveTo(next)) sources.add(s);
        return sources;
    }

    public static Set<TrialState> unfinished() {
        return EnumSet.of(QUEUED, BUILDING, BUILT, MEASURING);
    }
}
