package dev.frontier.coordinator.frontier;

import dev.frontier.coordinator.api.model.CompressionConfig;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Service;

import dev.frontier.coordinator.api.model.DeviceFrontier;
import dev.frontier.coordinator.api.model.Frontier;
import dev.frontier.coordinator.api.model.FrontierPoint;
import dev.frontier.coordinator.api.model.HypervolumePoint;
import dev.frontier.coordinator.api.model.TrialStage;
import dev.frontier.coordinator.device.Runtimes;
import dev.frontier.coordinator.goal.Goal;
import dev.frontier.coordinator.pareto.HypervolumeReference;
import dev.frontier.coordinator.pareto.Pareto;
import dev.frontier.coordinator.search.SearchHistory;
import dev.frontier.coordinator.system.Times;
import dev.frontier.coordinator.trial.TrialState;
import dev.frontier.coordinator.trial.TrialView;

/**
 * Per target device: the measured trials that are non-dominated on (validation accuracy up, latency
 * down, size down), the recommendation, and the hypervolume. Everything is judged by the job's one
 * {@link Goal} on the validation split; test accuracy is carried along for reporting only.
 * Hypervolume is measured in normalised objectives against {@link HypervolumeReference} and
 * divided by its box's volume, so it lies in [0, 1] and jobs and strategies can be compared.
 */
@Service
public class FrontierService {
    private static final double[] REFERENCE = HypervolumeReference.point();

    /**
     * The job facts the frontier depends on: its goal (whose baseline is the dense model's validation
     * accuracy, null while unknown), the baseline's test accuracy (reported), and fidelity.max. Only
     * trials at fidelityMax or beyond (polish) and the dense baseline count: a short fine-tune
     * under-states accuracy. A search trial that a finished polish trial re-ran is superseded by it.
     */
    public record Target(UUID jobId, List<UUID> deviceIds, Goal goal, Double baselineTestAccuracy, double fidelityMax,
            List<Slot> slots) {
        public Target(UUID jobId, List<UUID> deviceIds, double latencyTargetMs, double maxAccuracyDrop, Double baselineAccuracy,
                double fidelityMax) {
            this(jobId, deviceIds, new Goal(latencyTargetMs, maxAccuracyDrop, baselineAccuracy), baselineAccuracy, fidelityMax,
                    deviceIds.stream().map(d -> new Slot(d, Runtimes.JVM)).toList());
        }

        /** The runtime the search steers by: the job's first, the first slot's. */
        public String steering() {
            return slots.isEmpty() ? Runtimes.JVM : slots.get(0).runtime();
        }

        public Target(UUID jobId, List<UUID> deviceIds, double latencyTargetMs, double maxAccuracyDrop, Double baselineAccuracy) {
            this(jobId, deviceIds, latencyTargetMs, maxAccuracyDrop, baselineAccuracy, 0);
        }

        public boolean fullFidelity(TrialView t) {
            return t.polish() || SearchHistory.fullFidelity(t.fidelity(), t.config(), fidelityMax);
        }

        public double latencyTargetMs() {
            return goal.latencyTargetMs();
        }

        /** The validation baseline the floors are relative to. */
        public Double baselineAccuracy() {
            return goal.baselineAccuracy();
        }

        public double accuracyFloor() {
            return goal.accuracyFloor();
        }
    }

    /** One frontier: a target device and a runtime it measures with. */
    public record Slot(UUID deviceId, String runtime) {
    }

    /** Seqs of search trials re-run by a finished polish trial: those rows stay, but leave the frontier. */
    public static Set<Integer> superseded(List<TrialView> trials) {
        Set<Integer> out = new HashSet<>();
        for (TrialView t : trials) {
            if (t.polish() && t.promotedFrom() != null && t.state() == TrialState.DONE && t.selectionAccuracy() != null) {
                out.add(t.promotedFrom());
            }
        }
        return out;
    }

    public Frontier frontier(Target target, List<TrialView> trials) {
        Goal goal = target.goal();
        boolean known = goal.baselineAccuracy() != null;
        Frontier f = new Frontier().jobId(target.jobId()).latencyTargetMs(goal.latencyTargetMs())
                .baselineAccuracy(target.baselineTestAccuracy())
                .baselineValidationAccuracy(goal.baselineAccuracy())
                .accuracyFloor(known ? goal.accuracyFloor() : null)
                .usefulnessFloor(known ? goal.usefulnessFloor() : null);
        List<DeviceFrontier> devices = new ArrayList<>();
        String steering = target.steering();
        for (Slot slot : target.slots()) {
            // the views carry the steering runtime's latencies; every other runtime is a re-view of the same builds
            List<TrialView> on = slot.runtime().equals(steering) ? trials
                    : trials.stream().map(t -> t.onRuntime(slot.runtime())).toList();
            devices.add(device(target, slot.deviceId(), slot.runtime(), on));
        }
        return f.devices(devices);
    }

    /** The frontier on the device with the runtime steering the search (the views' latencies). */
    public DeviceFrontier device(Target target, UUID device, List<TrialView> trials) {
        return device(target, device, target.steering(), trials);
    }

    /** The frontier on the device with {@code runtime}, whose latencies the views carry. */
    DeviceFrontier device(Target target, UUID device, String runtime, List<TrialView> trials) {
        List<TrialView> all = trials.stream()
                .filter(t -> t.selectionAccuracy() != null && t.latencyMs().containsKey(device)).toList();
        List<TrialView> measured = candidates(target, device, trials);
        List<double[]> points = measured.stream().map(t -> objectives(t, device, 1, 1, 1)).toList();
        List<FrontierPoint> front = Pareto.nonDominated(points).stream().map(i -> point(measured.get(i), device, runtime, target))
                .sorted(Comparator.comparingDouble(FrontierPoint::getLatencyMs)).toList();

        DeviceFrontier df = new DeviceFrontier().deviceId(device).runtime(runtime).steering(runtime.equals(target.steering()))
                .measured(all.size()).points(front)
                .baselineLatencyMs(trials.stream().filter(t -> t.seq() == 0).findFirst().map(t -> t.latencyMs().get(device)).orElse(null));
        Recommendation r = recommend(target, device, measured);
        df.recommended(r.trial() == null ? null : point(r.trial(), device, runtime, target))
                .bestEffort(r.trial() != null && r.bestEffort())
                .noUsefulTrial(r.trial() == null && !measured.isEmpty());
        List<HypervolumePoint> history = hypervolumeHistory(target, device, trials, measured);
        df.hypervolume(history.isEmpty() ? 0.0 : history.get(history.size() - 1).getHypervolume());
        df.hypervolumeHistory(history);
        return df;
    }

    /** The trials the frontier and recommendation consider on {@code device}: full fidelity, measured there, not superseded. */
    public static List<TrialView> candidates(Target target, UUID device, List<TrialView> trials) {
        Set<Integer> superseded = superseded(trials);
        return trials.stream()
                .filter(t -> t.selectionAccuracy() != null && t.latencyMs().containsKey(device) && target.fullFidelity(t)
                        && !superseded.contains(t.seq()))
                .toList();
    }

    /**
     * The hypervolume after each full-fidelity result, in the order the results finished (seq for
     * ties and for trials without a finish time). Keeps the running non-dominated set so each step
     * costs one small hypervolume, not one over every trial so far.
     */
    public List<HypervolumePoint> hypervolumeHistory(Target target, UUID device, List<TrialView> all, List<TrialView> measured) {
        double baselineSize = baselineSize(all, measured);
        List<TrialView> ordered = new ArrayList<>(measured);
        ordered.sort(Comparator.comparing((TrialView t) -> t.finishedAt() == null ? Instant.MAX : t.finishedAt())
                .thenComparingInt(TrialView::seq));
        List<double[]> front = new ArrayList<>();
        List<HypervolumePoint> out = new ArrayList<>();
        double hv = 0;
        for (TrialView t : ordered) {
            double[] p = objectives(t, device, 100, target.latencyTargetMs(), baselineSize);
            if (front.stream().noneMatch(q -> Pareto.dominates(q, p) || java.util.Arrays.equals(q, p))) {
                front.removeIf(q -> Pareto.dominates(p, q));
                front.add(p);
                hv = Pareto.hypervolume3d(front, REFERENCE) / HypervolumeReference.BOX;
            }
            out.add(new HypervolumePoint().seq(t.seq()).at(Times.utc(t.finishedAt())).hypervolume(hv));
        }
        return out;
    }

    record Recommendation(TrialView trial, boolean bestEffort) {
    }

    /**
     * The most accurate useful trial that meets the goal (ties: the faster). When none does, the best
     * effort is the useful trial with the least {@link Goal#violation}; within the target that is the
     * most accurate, and when every useful trial is accurate enough but slow, the fastest. A trial
     * below the usefulness floor (collapsed) is never recommended: with none above it the answer is
     * "no useful trial yet" (null).
     */
    static Recommendation recommend(Target target, UUID device, List<TrialView> measured) {
        Goal goal = target.goal();
        Comparator<TrialView> byAccuracy = Comparator.comparingDouble((TrialView t) -> t.selectionAccuracy())
                .thenComparing(Comparator.comparingDouble((TrialView t) -> t.latencyMs().get(device)).reversed());
        List<TrialView> useful = measured.stream().filter(t -> goal.useful(t.selectionAccuracy())).toList();
        var ok = useful.stream().filter(t -> violation(goal, device, t) == 0).max(byAccuracy);
        if (ok.isPresent()) return new Recommendation(ok.get(), false);
        var effort = useful.stream().min(Comparator.comparingDouble((TrialView t) -> violation(goal, device, t))
                .thenComparing(byAccuracy.reversed()));
        return new Recommendation(effort.orElse(null), true);
    }

    static double violation(Goal goal, UUID device, TrialView t) {
        return goal.violation(t.selectionAccuracy(), List.of(t.latencyMs().get(device)));
    }

    private static double baselineSize(List<TrialView> all, List<TrialView> measured) {
        return all.stream().filter(t -> t.seq() == 0 && t.sizeBytes() != null).mapToDouble(TrialView::sizeBytes)
                .findFirst().orElse(measured.stream().filter(t -> t.sizeBytes() != null).mapToDouble(TrialView::sizeBytes).max().orElse(1));
    }

    /** Minimisation form: (error, latency, size), each divided by its scale; error from the selection accuracy. */
    private static double[] objectives(TrialView t, UUID device, double accScale, double latScale, double sizeScale) {
        double size = t.sizeBytes() == null ? Double.MAX_VALUE / 4 : t.sizeBytes();
        double acc = t.selectionAccuracy();
        double error = accScale == 1 ? -acc : Math.max(0, 100 - acc) / accScale;
        return new double[] {error, t.latencyMs().get(device) / latScale, size / sizeScale};
    }

    private static FrontierPoint point(TrialView t, UUID device, String runtime, Target target) {
        return new FrontierPoint().trialId(t.id()).seq(t.seq()).deviceId(device).accuracy(t.accuracy())
                .runtime(runtime)
                .validationAccuracy(t.validationAccuracy())
                .latencyMs(t.latencyMs().get(device)).sizeBytes(t.sizeBytes()).fidelity(t.fidelity())
                .fullFidelity(target.fullFidelity(t)).stage(t.polish() ? TrialStage.POLISH : TrialStage.SEARCH)
                .useful(target.goal().useful(t.selectionAccuracy()))
                .config(t.config() == null ? new CompressionConfig() : t.config());
    }
}
