package dev.frontier.coordinator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.frontier.coordinator.goal.Goal;

class GateVerdictsTest {
    static final UUID T = UUID.randomUUID();

    static final Goal GOAL = new Goal(5.0, 1.0, 90.0);

    /** {@code acc} on validation (what is judged); the test figure is deliberately different. */
    static GateVerdicts.Input input(double acc, double lat, GateVerdicts.Previous prev) {
        return new GateVerdicts.Input(true, null, GOAL, new GateVerdicts.Chosen(T, 3, acc - 7, acc, lat), true, prev,
                0.5, 0.1);
    }

    @Test
    void passesWhenTheChosenPointMeetsTargetAndFloor() {
        GateVerdicts.Verdict v = GateVerdicts.judge(input(89.5, 4.0, null));
        assertThat(v.verdict()).isEqualTo(GateVerdicts.Outcome.PASS);
        assertThat(v.checks()).extracting(GateVerdicts.Check::name).containsExactly("latency", "accuracy", "regression");
        assertThat(v.chosenTrialId()).isEqualTo(T);
    }

    @Test
    void failsOnLatencyOrAccuracyAndSaysWhich() {
        GateVerdicts.Verdict slow = GateVerdicts.judge(input(89.5, 5.5, null));
        assertThat(slow.verdict()).isEqualTo(GateVerdicts.Outcome.FAIL);
        assertThat(slow.checks().get(0).passed()).isFalse();
        assertThat(slow.checks().get(1).passed()).isTrue();
        GateVerdicts.Verdict inaccurate = GateVerdicts.judge(input(88.9, 4.0, null));
        assertThat(inaccurate.checks().get(1).passed()).isFalse();
        assertThat(inaccurate.checks().get(1).message()).contains("88.90").contains("89.00");
        assertThat(inaccurate.checks().get(1).message()).as("the test figure is shown, not judged").contains("test 81.90");
    }

    @Test
    void regressionAgainstTheLastPassingGateWithTolerances() {
        UUID prev = UUID.randomUUID();
        // regression compares test accuracies (the released figure): the chosen one's test accuracy is 82.5
        assertThat(GateVerdicts.judge(input(89.5, 4.0, new GateVerdicts.Previous(prev, 82.9, 3.7))).verdict())
                .as("within 0.5 pp and 10 %").isEqualTo(GateVerdicts.Outcome.PASS);
        GateVerdicts.Verdict worse = GateVerdicts.judge(input(89.5, 4.0, new GateVerdicts.Previous(prev, 83.1, 4.0)));
        assertThat(worse.verdict()).isEqualTo(GateVerdicts.Outcome.FAIL);
        assertThat(worse.comparedGateId()).isEqualTo(prev);
        assertThat(GateVerdicts.judge(input(89.5, 4.0, new GateVerdicts.Previous(prev, 82.5, 3.5))).verdict())
                .as("latency 4.0 > 3.5 * 1.1").isEqualTo(GateVerdicts.Outcome.FAIL);
    }

    @Test
    void aFailedSearchOrMissingBaselineIsAnError() {
        assertThat(GateVerdicts.judge(new GateVerdicts.Input(false, "job FAILED", GOAL, null, true, null, 0.5, 0.1))
                .verdict()).isEqualTo(GateVerdicts.Outcome.ERROR);
        assertThat(GateVerdicts.judge(new GateVerdicts.Input(true, null, GOAL.withBaseline(null), null, true, null, 0.5, 0.1))
                .verdict()).isEqualTo(GateVerdicts.Outcome.ERROR);
        GateVerdicts.Verdict none = GateVerdicts.judge(new GateVerdicts.Input(true, null, GOAL, null, true, null, 0.5, 0.1));
        assertThat(none.verdict()).isEqualTo(GateVerdicts.Outcome.ERROR);
        assertThat(none.checks().get(0).message()).contains("usefulness floor of 80.00 %");
    }

    @Test
    void junitEscapesAndCountsFailures() {
        var gate = new dev.frontier.coordinator.api.model.Gate().id(UUID.randomUUID()).jobId(UUID.randomUUID())
                .modelName("m<1>").deviceName("d&d")
                .verdict(dev.frontier.coordinator.api.model.GateVerdict.FAIL)
                .addChecksItem(new dev.frontier.coordinator.api.model.GateCheck().name("latency").passed(false)
                        .message("6 ms > \"5\" ms"))
                .addChecksItem(new dev.frontier.coordinator.api.model.GateCheck().name("accuracy").passed(true).message("ok"));
        String xml = GateReports.junit(gate);
        assertThat(xml).contains("tests=\"2\" failures=\"1\" errors=\"0\"").contains("m&lt;1&gt;").contains("d&amp;d")
                .contains("<failure message=\"6 ms &gt; &quot;5&quot; ms\"/>");
    }
}
