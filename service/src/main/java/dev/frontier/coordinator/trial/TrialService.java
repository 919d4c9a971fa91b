package dev.frontier.coordinator.trial;

import dev.frontier.coordinator.api.model.CompressionConfig;

import dev.frontier.coordinator.api.model.LatencyMetrics;

import dev.frontier.coordinator.api.model.BuildMetrics;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.frontier.coordinator.api.model.Measurement;
import dev.frontier.coordinator.api.model.Trial;
import dev.frontier.coordinator.api.model.TrialStage;
import dev.frontier.coordinator.api.model.TrialPage;
import dev.frontier.coordinator.system.ApiException;
import dev.frontier.coordinator.system.Json;
import dev.frontier.coordinator.system.Times;

/** Trial storage and its state changes; the job workflow decides when they happen. */
@Service
public class TrialService {
    private static final Set<String> SORTABLE = Set.of("seq", "accuracy", "validationAccuracy", "sizeBytes", "createdAt", "state");
    private final TrialRepository trials;
    private final MeasurementRepository measurements;
    private final TrialMoves moves;
    private final MeasurementRows measurementRows;

    TrialService(TrialRepository trials, MeasurementRepository measurements, TrialMoves moves, MeasurementRows measurementRows) {
        this.trials = trials;
        this.measurements = measurements;
        this.moves = moves;
        this.measurementRows = measurementRows;
    }

    /**
     * A trial to create. {@code promotedFrom}: the seq it re-runs at a higher fidelity; {@code inherit}:
     * the fine-tuned parent it continues from (null: starts from the job's model); {@code polish}: made
     * by the polish stage after the search.
     */
    public record NewTrial(int seq, CompressionConfig config, double fidelity, Integer promotedFrom, Inherit inherit,
            boolean polish) {
        public NewTrial(int seq, CompressionConfig config, double fidelity, Integer promotedFrom) {
            this(seq, config, fidelity, promotedFrom, null, false);
        }

        public NewTrial(int seq, CompressionConfig config, double fidelity) {
            this(seq, config, fidelity, null);
        }
    }

    /** A finished parent's fine-tuned checkpoint: its seq, the checkpoint's sha256 and how long it was fine-tuned. */
    public record Inherit(int seq, String checkpointSha256, double fidelity) {
    }

    @Transactional
    public List<UUID> create(UUID jobId, List<NewTrial> proposals) {
        List<TrialEntity> entities = proposals.stream().map(p -> {
            TrialEntity t = new TrialEntity(jobId, p.seq(), Json.write(p.config()), p.fidelity(), p.promotedFrom());
            if (p.inherit() != null) t.inherit(p.inherit().seq(), p.inherit().checkpointSha256(), p.inherit().fidelity());
            if (p.polish()) t.markPolish();
            return t;
        }).toList();
        return trials.saveAll(entities).stream().map(TrialEntity::getId).toList();
    }

    @Transactional
    public void moveTo(UUID trialId, TrialState next) {
        find(trialId).moveTo(next);
    }

    /** Moves only when the trial is in {@code from}; used where several tasks race to the same move. */
    @Transactional
    public boolean moveIf(UUID trialId, TrialState from, TrialState next) {
        TrialEntity t = find(trialId);
        if (t.getState() != from) return false;
        t.moveTo(next);
        return true;
    }

    /** Moves those of the trials that are in {@code from} (several tasks may race to the same move); one statement. */
    @Transactional
    public int moveAll(List<UUID> trialIds, TrialState from, TrialState next) {
        return moves.moveAll(trialIds, from, next);
    }

    /** Stores the build result (trial -> BUILT); false when the trial was finished meanwhile and keeps nothing. */
    @Transactional
    public boolean built(UUID trialId, BuildMetrics metrics, String artifactSha256) {
        String checkpoint = metrics.getCheckpointSha256();
        return moves.built(trialId, Json.write(metrics), metrics.getAccuracy(), metrics.getValidationAccuracy(), metrics.getSizeBytes(),
                artifactSha256, checkpoint != null && checkpoint.matches("[0-9a-f]{64}") ? checkpoint : null);
    }

    /** Moves the trial to a final state unless it already is in one (then false). */
    @Transactional
    public boolean finish(UUID trialId, TrialState next) {
        return moves.finish(trialId, next);
    }

    /**
     * Stores one (device, runtime) latency; true when it was the last one the trial waited for.
     * Trials from before runtimes existed wait for one per target device ({@code devices}).
     */
    @Transactional
    public boolean measured(UUID trialId, UUID deviceId, String runtime, boolean emulated, LatencyMetrics metrics,
            int devices) {
        long n = measurementRows.store(trialId, deviceId, runtime, emulated, metrics.getMedianMs(), Json.write(metrics));
        Integer expected = moves.expectedMeasures(trialId);
        return n >= (expected == null ? devices : expected);
    }

    /** How many (device, runtime) measurements finish the trial. */
    @Transactional
    public void expectMeasures(UUID trialId, int n) {
        moves.expectMeasures(trialId, n);
    }

    /** A measurement that failed for good and is not needed to finish the trial; true when nothing else is awaited. */
    @Transactional
    public boolean dropExpectedMeasure(UUID trialId) {
        return moves.measuredCount(trialId) >= moves.dropExpectedMeasure(trialId);
    }

    @Transactional
    public void fail(UUID trialId, String reason, String kind) {
        TrialEntity t = find(trialId);
        if (!t.getState().isFinal()) t.fail(reason, kind);
    }

    /** Cancels the job's unfinished trials (only QUEUED ones when {@code onlyQueued}); returns their ids. */
    @Transactional
    public List<UUID> cancelUnfinished(UUID jobId, boolean onlyQueued) {
        Set<TrialState> states = onlyQueued ? Set.of(TrialState.QUEUED) : TrialState.unfinished();
        List<TrialEntity> open = trials.findByJobIdAndStateIn(jobId, states);
        open.forEach(t -> t.moveTo(TrialState.CANCELLED));
        return open.stream().map(TrialEntity::getId).toList();
    }

    @Transactional(readOnly = true)
    public TrialState state(UUID trialId) {
        return find(trialId).getState();
    }

    @Transactional(readOnly = true)
    public Map<TrialState, Long> counts(UUID jobId) {
        Map<TrialState, Long> counts = new EnumMap<>(TrialState.class);
        for (Object[] row : trials.countByState(jobId)) counts.put((TrialState) row[0], (Long) row[1]);
        return counts;
    }

    /**
     * The job's trials with their latencies on {@code runtime} (the one steering the search); every
     * runtime's latencies ride along for the frontiers. Emulated timings are left out: they are not
     * what the device does.
     */
    @Transactional(readOnly = true)
    public List<TrialView> views(UUID jobId, String runtime) {
        Map<UUID, Map<String, Map<UUID, Double>>> all = new HashMap<>();
        Map<UUID, Map<UUID, Map<String, Double>>> perLayer = new HashMap<>();
        for (MeasurementEntity m : measurements.findByJob(jobId)) {
            if (m.isEmulated()) continue;
            all.computeIfAbsent(m.getTrialId(), k -> new HashMap<>()).computeIfAbsent(m.getRuntime(), k -> new HashMap<>())
                    .put(m.getDeviceId(), m.getMedianMs());
            if (!runtime.equals(m.getRuntime())) continue;
            Map<String, Double> layers = perLayerMs(m.getMetrics());
            if (!layers.isEmpty()) perLayer.computeIfAbsent(m.getTrialId(), k -> new HashMap<>()).put(m.getDeviceId(), layers);
        }
        return trials.findByJobIdOrderBySeqAsc(jobId).stream()
                .map(t -> new TrialView(t.getId(), t.getSeq(), config(t), t.getFidelity(), t.getState(),
                        t.getAccuracy(), t.getSizeBytes(), all.getOrDefault(t.getId(), Map.of()).getOrDefault(runtime, Map.of()),
                        t.getPromotedFrom(), t.getFinishedAt(), perLayer.getOrDefault(t.getId(), Map.of()), t.getValidationAccuracy(),
                        t.getCheckpointSha256(), t.getInheritedFrom(), t.isPolish(), all.getOrDefault(t.getId(), Map.of())))
                .toList();
    }

    /** Per-layer medians of stored latency metrics (empty when the runtime reported none). */
    private static Map<String, Double> perLayerMs(String metrics) {
        if (metrics == null || !metrics.contains("perLayerMs")) return Map.of();
        LatencyMetrics m = Json.read(metrics, LatencyMetrics.class);
        return m.getPerLayerMs() == null ? Map.of() : m.getPerLayerMs();
    }

    /** A stored configuration ({} when none: the dense baseline). */
    private static CompressionConfig config(TrialEntity t) {
        CompressionConfig c = Json.read(t.getConfig(), CompressionConfig.class);
        return c == null ? new CompressionConfig() : c;
    }

    @Transactional(readOnly = true)
    public TrialPage page(UUID jobId, int page, int size, String sort, TrialState state) {
        PageRequest request = PageRequest.of(page, size, sort(sort));
        Page<TrialEntity> result = state == null ? trials.findByJobId(jobId, request) : trials.findByJobIdAndState(jobId, state, request);
        Map<UUID, List<MeasurementEntity>> ms = measurements.findByTrialIdIn(result.map(TrialEntity::getId).toList())
                .stream().collect(Collectors.groupingBy(MeasurementEntity::getTrialId));
        List<Trial> items = result.map(t -> toDto(t, ms.getOrDefault(t.getId(), List.of()))).toList();
        return new TrialPage(items, page, size, result.getTotalElements());
    }

    @Transactional(readOnly = true)
    public Trial get(UUID trialId) {
        TrialEntity t = find(trialId);
        return toDto(t, measurements.findByTrialId(trialId));
    }

    @Transactional(readOnly = true)
    public String artifactSha256(UUID trialId) {
        TrialEntity t = find(trialId);
        if (t.getArtifactSha256() == null) throw ApiException.notFound("artifact of trial", trialId + " (not built yet)");
        return t.getArtifactSha256();
    }

    @Transactional(readOnly = true)
    public CompressionConfig config(UUID trialId) {
        return config(find(trialId));
    }

    static Sort sort(String text) {
        String s = text == null || text.isBlank() ? "seq" : text.strip();
        boolean desc = s.startsWith("-");
        String property = desc ? s.substring(1) : s;
        if (!SORTABLE.contains(property)) throw ApiException.badRequest("sort", "sort must be one of " + SORTABLE + ", optionally prefixed by '-'");
        Sort.Order order = desc ? Sort.Order.desc(property).nullsLast() : Sort.Order.asc(property).nullsLast();
        return Sort.by(order, Sort.Order.asc("seq"));
    }

    private TrialEntity find(UUID id) {
        return trials.findById(id).orElseThrow(() -> ApiException.notFound("trial", id));
    }

    private static Trial toDto(TrialEntity t, List<MeasurementEntity> ms) {
        BuildMetrics metrics = Json.read(t.getBuildMetrics(), BuildMetrics.class);
        return new Trial(t.getId(), t.getJobId(), t.getSeq(), dev.frontier.coordinator.api.model.TrialState.valueOf(t.getState().name()))
                .config(config(t))
                .fidelity(t.getFidelity())
                .promotedFrom(t.getPromotedFrom())
                .inheritedFrom(t.getInheritedFrom())
                .stage(t.isPolish() ? TrialStage.POLISH : TrialStage.SEARCH)
                .attempts(t.getAttempts())
                .accuracy(t.getAccuracy())
                .validationAccuracy(t.getValidationAccuracy())
                .sizeBytes(t.getSizeBytes())
                .buildMetrics(metrics)
                .artifactSha256(t.getArtifactSha256())
                .measurements(ms.stream().map(m -> new Measurement().deviceId(m.getDeviceId()).runtime(m.getRuntime())
                        .emulated(m.isEmulated()).medianMs(m.getMedianMs())
                        .metrics(Json.read(m.getMetrics(), LatencyMetrics.class)).measuredAt(Times.utc(m.getMeasuredAt()))).toList())
                .error(t.getError())
                .errorKind(t.getErrorKind())
                .createdAt(Times.utc(t.getCreatedAt()))
                .startedAt(Times.utc(t.getStartedAt()))
                .finishedAt(Times.utc(t.getFinishedAt()));
    }
}
