package dev.frontier.coordinator.gate;

import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.frontier.coordinator.api.model.Budget;
import dev.frontier.coordinator.api.model.Device;
import dev.frontier.coordinator.api.model.DeviceFrontier;
import dev.frontier.coordinator.api.model.Frontier;
import dev.frontier.coordinator.api.model.FrontierPoint;
import dev.frontier.coordinator.api.model.Gate;
import dev.frontier.coordinator.api.model.GateCheck;
import dev.frontier.coordinator.api.model.GateRegression;
import dev.frontier.coordinator.api.model.GateRequest;
import dev.frontier.coordinator.api.model.GateState;
import dev.frontier.coordinator.api.model.GateVerdict;
import dev.frontier.coordinator.api.model.Job;
import dev.frontier.coordinator.api.model.JobRequest;
import dev.frontier.coordinator.api.model.JobState;
import dev.frontier.coordinator.device.DeviceService;
import dev.frontier.coordinator.goal.Goal;
import dev.frontier.coordinator.job.JobService;
import dev.frontier.coordinator.model.ModelService;
import dev.frontier.coordinator.system.ApiException;
import dev.frontier.coordinator.system.Json;
import dev.frontier.coordinator.trial.TrialService;
import dev.frontier.coordinator.trial.TrialView;
import tools.jackson.core.type.TypeReference;

/**
 * CI gates on top of jobs: a gate is a job on one device plus a verdict. The verdict is computed
 * once, the first time the gate is read after its job finished, and then stored unchanged, so a
 * later gate of the same model compares against a fixed record.
 */
@Service
public class GateService {
    private static final int DEFAULT_BUDGET = 20;
    private final GateRepository gates;
    private final JobService jobs;
    private final ModelService models;
    private final DeviceService devices;
    private final TrialService trials;

    GateService(GateRepository gates, JobService jobs, ModelService models, DeviceService devices, TrialService trials) {
        this.gates = gates;
        this.jobs = jobs;
        this.models = models;
        this.devices = devices;
        this.trials = trials;
    }

    @Transactional
    public Gate create(GateRequest req) {
        JobService.requireFinite("latencyTargetMs", req.getLatencyTargetMs());
        JobService.requireFinite("maxAccuracyDrop", req.getMaxAccuracyDrop());
        if (req.getRegression() != null) {
            JobService.requireFinite("regression.accuracyTolerance", req.getRegression().getAccuracyTolerance());
            JobService.requireFinite("regression.latencyTolerance", req.getRegression().getLatencyTolerance());
        }
        Device device = resolveDevice(req.getDevice());
        String modelName = models.get(req.getModelId()).getName();
        double drop = req.getMaxAccuracyDrop() == null ? 1.0 : req.getMaxAccuracyDrop();
        Budget budget = req.getBudget() == null ? new Budget() : req.getBudget();
        if (budget.getMaxTrials() == null) {
            budget.setMaxTrials(DEFAULT_BUDGET);
        }
        JobRequest job = new JobRequest().modelId(req.getModelId()).deviceIds(List.of(device.getId()))
                .latencyTargetMs(req.getLatencyTargetMs()).maxAccuracyDrop(drop).budget(budget)
                .strategy(req.getStrategy()).fidelity(req.getFidelity()).seed(req.getSeed())
                .runtimes(req.getRuntime() == null ? null : List.of(req.getRuntime()));
        Job created = jobs.create(job);
        GateRegression r = req.getRegression() == null ? new GateRegression() : req.getRegression();
        GateEntity g = new GateEntity(created.getId(), req.getModelId(), modelName, device.getId(),
                req.getLatencyTargetMs(), drop, r.getEnabled() == null || r.getEnabled(),
                r.getAccuracyTolerance() == null ? 0.5 : r.getAccuracyTolerance(),
                r.getLatencyTolerance() == null ? 0.1 : r.getLatencyTolerance());
        g.judge(created.getRuntimes().get(0));
        return toDto(gates.save(g), created, null);
    }

    @Transactional
    public Gate get(UUID id) {
        GateEntity g = gates.findById(id).orElseThrow(() -> ApiException.notFound("gate", id));
        Job job = jobs.get(g.getJobId());
        Frontier frontier = isFinal(job.getState()) || g.getVerdict() != null ? jobs.frontier(g.getJobId()) : null;
        if (g.getVerdict() == null && isFinal(job.getState())) {
            GateVerdicts.Verdict v = GateVerdicts.judge(input(g, job, frontier));
            g.finish(v, Json.write(v.checks()));
        }
        return toDto(g, job, frontier);
    }

    @Transactional(readOnly = true)
    public List<Gate> list(String modelName) {
        List<GateEntity> found = modelName == null || modelName.isBlank() ? gates.findTop200ByOrderByCreatedAtDesc()
                : gates.findTop200ByModelNameOrderByCreatedAtDesc(modelName);
        return found.stream().map(g -> toDto(g, jobs.get(g.getJobId()), null)).toList();
    }

    private static boolean isFinal(JobState s) {
        return s == JobState.COMPLETED || s == JobState.FAILED || s == JobState.CANCELLED;
    }

    private GateVerdicts.Input input(GateEntity g, Job job, Frontier frontier) {
        DeviceFrontier df = deviceFrontier(frontier, g.getDeviceId(), g.getRuntime());
        FrontierPoint rec = df == null ? null : df.getRecommended();
        GateVerdicts.Chosen chosen = rec == null ? null
                : new GateVerdicts.Chosen(rec.getTrialId(), rec.getSeq(), rec.getAccuracy(),
                        rec.getValidationAccuracy() != null ? rec.getValidationAccuracy() : rec.getAccuracy(), rec.getLatencyMs());
        GateVerdicts.Previous previous = g.isRegression()
                ? gates.lastPass(g.getModelName(), g.getDeviceId(), g.getRuntime(), g.getId())
                        .filter(p -> p.getChosenAccuracy() != null && p.getChosenLatencyMs() != null)
                        .map(p -> new GateVerdicts.Previous(p.getId(), p.getChosenAccuracy(), p.getChosenLatencyMs()))
                        .orElse(null)
                : null;
        Double baseline = frontier.getBaselineValidationAccuracy();
        double usefulness = baseline == null || frontier.getUsefulnessFloor() == null ? Goal.defaultUsefulnessDrop(g.getMaxAccuracyDrop())
                : baseline - frontier.getUsefulnessFloor();
        Goal goal = new Goal(g.getLatencyTargetMs(), g.getMaxAccuracyDrop(), baseline, usefulness);
        return new GateVerdicts.Input(job.getState() == JobState.COMPLETED,
                job.getError() == null ? "job " + job.getState().getValue() : job.getError(),
                goal, chosen, g.isRegression(), previous, g.getAccuracyTolerance(), g.getLatencyTolerance());
    }

    private static DeviceFrontier deviceFrontier(Frontier f, UUID device, String runtime) {
        if (f == null || f.getDevices() == null) {
            return null;
        }
        return f.getDevices().stream().filter(d -> device.equals(d.getDeviceId()) && runtime.equals(d.getRuntime()))
                .findFirst().orElse(null);
    }

    private Device resolveDevice(String nameOrId) {
        List<Device> all = devices.list();
        Optional<Device> byName = all.stream().filter(d -> nameOrId.equals(d.getName())).findFirst();
        if (byName.isPresent()) {
            return byName.get();
        }
        return all.stream().filter(d -> nameOrId.equals(String.valueOf(d.getId()))).findFirst()
                .orElseThrow(() -> ApiException.unprocessable("device", "no registered device named '" + nameOrId
                        + "'; known devices: " + all.stream().map(Device::getName).toList()));
    }

    private Gate toDto(GateEntity g, Job job, Frontier frontier) {
        Gate dto = new Gate().id(g.getId()).jobId(g.getJobId()).jobState(job.getState()).modelId(g.getModelId())
                .modelName(g.getModelName()).deviceId(g.getDeviceId()).deviceName(deviceName(g.getDeviceId()))
                .runtime(g.getRuntime())
                .latencyTargetMs(g.getLatencyTargetMs()).maxAccuracyDrop(g.getMaxAccuracyDrop())
                .comparedToGateId(g.getComparedGateId())
                .createdAt(g.getCreatedAt().atOffset(ZoneOffset.UTC))
                .finishedAt(g.getFinishedAt() == null ? null : g.getFinishedAt().atOffset(ZoneOffset.UTC));
        dto.setState(g.getVerdict() == null ? GateState.RUNNING : GateState.FINISHED);
        if (g.getVerdict() != null) {
            dto.setVerdict(GateVerdict.fromValue(g.getVerdict()));
            List<GateVerdicts.Check> checks = Json.read(g.getChecks(), new TypeReference<List<GateVerdicts.Check>>() {
            });
            dto.setChecks(checks.stream().map(c -> new GateCheck().name(c.name()).passed(c.passed()).message(c.message()))
                    .toList());
        }
        if (job.getProgress() != null) {
            dto.done(job.getProgress().getDone()).total(job.getProgress().getTotal()).failed(job.getProgress().getFailed());
        }
        if (frontier != null) {
            dto.setBaselineAccuracy(frontier.getBaselineAccuracy());
            DeviceFrontier df = deviceFrontier(frontier, g.getDeviceId(), g.getRuntime());
            if (df != null) {
                dto.setFrontier(df.getPoints());
                dto.setChosen(df.getRecommended());
            }
            dto.setBaselineLatencyMs(baselineLatency(g));
        }
        return dto;
    }

    private Double baselineLatency(GateEntity g) {
        return trials.views(g.getJobId(), g.getRuntime()).stream().filter(t -> t.seq() == 0).findFirst()
                .map(TrialView::latencyMs).map(m -> m.get(g.getDeviceId())).orElse(null);
    }

    private String deviceName(UUID id) {
        try {
            return devices.get(id).getName();
        } catch (ApiException e) {
            return String.valueOf(id);
        }
    }
}
