package dev.frontier.coordinator.gate;

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

    /** The point the search recommends on the gate's device (or its best effort), null if none. */
    record Chosen(UUID trialId, int seq, double accuracy, double latencyMs) {
    }

    record Previous(UUID gateId, double accuracy, double latencyMs) {
    }

    record Input(boolean searchSucceeded, String searchError, Double baselineAccuracy, double accuracyFloor,
                 double latencyTargetMs, Chosen chosen, boolean regression, Previous previous,
                 double accuracyTolerance, double latencyTolerance) {
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
        if (in.baselineAccuracy() == null || in.chosen() == null) {
            checks.add(new Check("search", false, in.baselineAccuracy() == null
                    ? "the dense baseline could not be built or measured, so there is nothing to compare with"
                    : "no configuration was measured on the device"));
            return new Verdict(Outcome.ERROR, checks, null, null, null, null);
        }
        Chosen c = in.chosen();
        checks.add(new Check("latency", c.latencyMs() <= in.latencyTargetMs(), String.format(Locale.ROOT,
                "trial #%d runs in %.3f ms; target %.3f ms", c.seq(), c.latencyMs(), in.latencyTargetMs())));
        checks.add(new Check("accuracy", c.accuracy() >= in.accuracyFloor(), String.format(Locale.ROOT,
                "trial #%d reaches %.2f %%; floor %.2f %% (baseline %.2f %%)", c.seq(), c.accuracy(),
                in.accuracyFloor(), in.baselineAccuracy())));
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
