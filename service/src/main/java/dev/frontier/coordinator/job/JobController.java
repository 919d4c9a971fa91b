package dev.frontier.coordinator.job;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

import dev.frontier.coordinator.api.JobsApi;
import dev.frontier.coordinator.api.model.Frontier;
import dev.frontier.coordinator.api.model.Job;
import dev.frontier.coordinator.api.model.JobPage;
import dev.frontier.coordinator.api.model.JobRequest;
import dev.frontier.coordinator.api.model.JobState;

@RestController
class JobController implements JobsApi {
    private final JobService jobs;

    JobController(JobService jobs) {
        this.jobs = jobs;
    }

    @Override
    public ResponseEntity<Job> createJob(JobRequest req) {
        return ResponseEntity.status(HttpStatus.CREATED).body(jobs.create(req));
    }

    @Override
    public ResponseEntity<JobPage> listJobs(Integer page, Integer size, JobState status) {
        return ResponseEntity.ok(jobs.list(page == null ? 0 : page, size == null ? 50 : size, status));
    }

    @Override
    public ResponseEntity<Job> getJob(UUID jobId) {
        return ResponseEntity.ok(jobs.get(jobId));
    }

    @Override
    public ResponseEntity<Job> cancelJob(UUID jobId) {
        return ResponseEntity.ok(jobs.cancel(jobId));
    }

    @Override
    public ResponseEntity<Frontier> getFrontier(UUID jobId) {
        return ResponseEntity.ok(jobs.frontier(jobId));
    }
}
