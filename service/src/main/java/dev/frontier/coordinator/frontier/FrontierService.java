package dev.frontier.coordinator.frontier;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Service;

import dev.frontier.coordinator.api.model.DeviceFrontier;
import dev.frontier.coordinator.api.model.Frontier;
import dev.frontier.coordinator.api.model.FrontierPoint;
import dev.frontier.coordinator.api.model.HypervolumePoint;
import dev.frontier.coordinator.search.SearchHistory;
import dev.frontier.coordinator.system.Times;
import dev.frontier.coordinator.trial.TrialView;

/**
 * Per target device: the measured trials that are non-dominated on (accuracy up, latency down,
 * size down), the recommendation, and the hypervolume. Hypervolume uses normalised objectives
 * against a fixed reference point so jobs and strategies can be compared: error = (100 - accuracy)
 * / 100 with reference 1, latency / target with reference 2, size / baseline size with reference 1.
 */
@Service
public class FrontierService {
    static final double[] REFERENCE = {1.0, 2.0, 1.0};

    /** The hypervolume reference point (a copy): strategies that aim at hypervolume score against the same one. */
    public static double[] reference() {
        return REFERENCE.clone();
    }

    /**
     * The job facts the frontier depends on. baselineAccuracy may be null while unknown. Only
     * trials at fidelityMax (and the dense baseline) count: a short fine-tune under-states accuracy.
     */
    public record Target(UUID jobId, List<UUID> deviceIds, double latencyTargetMs, double maxAccuracyDrop, Double baselineAccuracy,
            double fidelityMax) {
        public Target(UUID jobId, List<UUID> deviceIds, double latencyTargetMs, double maxAccuracyDrop, Double baselineAccuracy) {
            this(jobId, deviceIds, latencyTargetMs, maxAccuracyDrop, baselineAccuracy, 0);
        }

        public boolean fullFidelity(TrialView t) {
            return SearchHistory.fullFidelity(t.fidelity(), t.config(), fidelityMax);
        }

        public double accuracyFloor() {
            return baselineAccuracy == null ? Double.NEGATIVE_INFINITY : baselineAccuracy - maxAccuracyDrop;
        }
    }

    public Frontier frontier(Target target, List<TrialView> trials) {
        Frontier f = new Frontier().jobId(target.jobId()).latencyTargetMs(target.latencyTargetMs())
                .baselineAccuracy(target.baselineAccuracy())
                .accuracyFloor(target.baselineAccuracy() == null ? null : target.accuracyFloor());
        List<DeviceFrontier> devices = new ArrayList<>();
        for (UUID device : target.deviceIds()) devices.add(device(target, device, trials));
        return f.devices(devices);
    }

    public DeviceFrontier device(Target target, UUID device, List<TrialView> trials) {
        List<TrialView> all = trials.stream()
                .filter(t -> t.accuracy() != null && t.latencyMs().containsKey(device)).toList();
        List<TrialView> measured = all.stream().filter(target::fullFidelity).toList();
        List<double[]> points = measured.stream().map(t -> objectives(t, device, 1, 1, 1)).toList();
        List<FrontierPoint> front = Pareto.nonDominated(points).stream().map(i -> point(measured.get(i), device, target))
                .sorted(Comparator.comparingDouble(FrontierPoint::getLatencyMs)).toList();

        DeviceFrontier df = new DeviceFrontier().deviceId(device).measured(all.size()).points(front);
        Recommendation r = recommend(target, device, measured);
        df.recommended(r.trial() == null ? null : point(r.trial(), device, target)).bestEffort(r.trial() != null && r.bestEffort());
        List<HypervolumePoint> history = hypervolumeHistory(target, device, trials, measured);
        df.hypervolume(history.isEmpty() ? 0.0 : history.get(history.size() - 1).getHypervolume());
        df.hypervolumeHistory(history);
        return df;
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
                hv = Pareto.hypervolume3d(front, REFERENCE);
            }
            out.add(new HypervolumePoint().seq(t.seq()).at(Times.utc(t.finishedAt())).hypervolume(hv));
        }
        return out;
    }

    record Recommendation(TrialView trial, boolean bestEffort) {
    }

    /**
     * Best accuracy within the latency target and the accuracy floor. When nothing meets both, the
     * best effort is the trial that misses them by the least: latency beyond the target as a
     * fraction of the target plus accuracy below the floor as a fraction of 100 %, the same
     * "least total violation" rule the search's constraint domination uses. So a trial 5 % over
     * the deadline at 4 pp under the floor beats one 2 % over at 20 pp under; within the target
     * this is simply the most accurate, and when every trial is usable but slow, the fastest.
     */
    static Recommendation recommend(Target target, UUID device, List<TrialView> measured) {
        Comparator<TrialView> byAccuracy = Comparator.comparingDouble((TrialView t) -> t.accuracy())
                .thenComparing(Comparator.comparingDouble((TrialView t) -> t.latencyMs().get(device)).reversed());
        var ok = measured.stream().filter(t -> violation(target, device, t) == 0).max(byAccuracy);
        if (ok.isPresent()) return new Recommendation(ok.get(), false);
        var effort = measured.stream().min(Comparator.comparingDouble((TrialView t) -> violation(target, device, t))
                .thenComparing(byAccuracy.reversed()));
        return new Recommendation(effort.orElse(null), true);
    }

    static double violation(Target target, UUID device, TrialView t) {
        double late = Math.max(0, t.latencyMs().get(device) / target.latencyTargetMs() - 1);
        double floor = target.accuracyFloor();
        double shortfall = Double.isInfinite(floor) ? 0 : Math.max(0, floor - t.accuracy()) / 100.0;
        return late + shortfall;
    }

    private static double baselineSize(List<TrialView> all, List<TrialView> measured) {
        return all.stream().filter(t -> t.seq() == 0 && t.sizeBytes() != null).mapToDouble(TrialView::sizeBytes)
                .findFirst().orElse(measured.stream().filter(t -> t.sizeBytes() != null).mapToDouble(TrialView::sizeBytes).max().orElse(1));
    }

    /** Minimisation form: (error, latency, size), each divided by its scale. */
    private static double[] objectives(TrialView t, UUID device, double accScale, double latScale, double sizeScale) {
        double size = t.sizeBytes() == null ? Double.MAX_VALUE / 4 : t.sizeBytes();
        double error = accScale == 1 ? -t.accuracy() : (100 - t.accuracy()) / accScale;
        return new double[] {error, t.latencyMs().get(device) / latScale, size / sizeScale};
    }

    private static FrontierPoint point(TrialView t, UUID device, Target target) {
        return new FrontierPoint().trialId(t.id()).seq(t.seq()).deviceId(device).accuracy(t.accuracy())
                .latencyMs(t.latencyMs().get(device)).sizeBytes(t.sizeBytes()).fidelity(t.fidelity())
                .fullFidelity(target.fullFidelity(t)).config(t.config() == null ? Map.of() : t.config());
    }
}
