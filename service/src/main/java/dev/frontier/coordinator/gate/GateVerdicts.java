package dev.frontier.coordinator.gate;

import dev.frontier.coordinator.goal.Goal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The gate's judgement as a pure function of the finished search: the chosen configuration against
 * the latency target and the accuracy floor, and, in regression mode, against the last passing gate.
 */
final class GateVerdicts {
    private GateVerdicts() {
    }

    enum Outcome { PASS, FAIL, ERROR }

    record Check(String name, boolean passed, String message) {
    }

    /**
     * The point the search recommends on the gate's device (or its best effort), null if none:
     * {@code accuracy} on the test split (reported, compared with earlier gates), {@code selectionAccuracy}
     * on the validation split (judged against the floor, like everything the search chooses).
     */
    record Chosen(UUID trialId, int seq, double accuracy, double selectionAccuracy, double latencyMs) {
    }

    record Previous(UUID gateId, double accuracy, double latencyMs) {
    }

    /** {@code goal}: the job's one rule, its baseline the dense model's validation accuracy (null: unmeasured). */
    record Input(boolean searchSucceeded, String searchError, Goal goal, Chosen chosen, boolean regression,
                 Previous previous, double accuracyTolerance, double latencyTolerance) {
    }

    record Verdict(Outcome verdict, List<Check> checks, UUID chosenTrialId, Double chosenAccuracy,
                   Double chosenLatencyMs, UUID comparedGateId) {
    }

    static Verdict judge(Input in) {
        List<Check> checks = new ArrayList<>();
        if (!in.searchSucceeded()) {
            checks.add(new Check("search", false, "the search did not finish: " + in.searchError()));
            return new Verdict(Outcome.ERROR, checks, null, null, null, null);
        }
        Goal goal = in.goal();
        if (goal.baselineAccuracy() == null || in.chosen() == null) {
            checks.add(new Check("search", false, goal.baselineAccuracy() == null
                    ? "the dense baseline could not be built or measured, so there is nothing to compare with"
                    : "no useful configuration was measured on the device (every one is below the usefulness floor of "
                    + String.format(Locale.ROOT, "%.2f %%", goal.usefulnessFloor()) + " or none finished)"));
            return new Verdict(Outcome.ERROR, checks, null, null, null, null);
        }
        Chosen c = in.chosen();
        checks.add(new Check("latency", goal.latencyRatio(List.of(c.latencyMs())) <= 1, String.format(Locale.ROOT,
                "trial #%d runs in %.3g ms; target %.3g ms", c.seq(), c.latencyMs(), goal.latencyTargetMs())));
        checks.add(new Check("accuracy", c.selectionAccuracy() >= goal.accuracyFloor(), String.format(Locale.ROOT,
                "trial #%d reaches %.2f %% on validation (test %.2f %%); floor %.2f %% (baseline %.2f %% on validation)",
                c.seq(), c.selectionAccuracy(), c.accuracy(), goal.accuracyFloor(), goal.baselineAccuracy())));
        UUID compared = null;
        if (in.regression()) {
            Previous p = in.previous();
            if (p == null) {
                checks.add(new Check("regression", true, "no earlier passing gate for this model on this device"));
            } else {
                compared = p.gateId();
                boolean accOk = c.accuracy() >= p.accuracy() - in.accuracyTolerance();
                boolean latOk = c.latencyMs() <= p.latencyMs() * (1 + in.latencyTolerance());
                checks.add(new Check("regression", accOk && latOk, String.format(Locale.ROOT,
                        "against gate %s: accuracy %.2f %% vs %.2f %% (tolerance %.2f pp), latency %.3f ms vs %.3f ms"
                                + " (tolerance %.0f %%)", p.gateId(), c.accuracy(), p.accuracy(), in.accuracyTolerance(),
                        c.latencyMs(), p.latencyMs(), 100 * in.latencyTolerance())));
            }
        }
        boolean pass = checks.stream().allMatch(Check::passed);
        return new Verdict(pass ? Outcome.PASS : Outcome.FAIL, checks, c.trialId(), c.accuracy(), c.latencyMs(), compared);
    }
}
