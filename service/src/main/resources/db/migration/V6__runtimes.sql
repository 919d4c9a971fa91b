-- Devices with runtimes (issue 19): a device declares the runtimes it measures with, a job chooses
-- some, and every build is measured once per (target device, runtime).
-- JSON list of DeviceRuntime; NULL: a device registered before runtimes existed (frontier-jvm)
ALTER TABLE device ADD COLUMN runtimes TEXT;
-- comma-separated runtime names this worker measures with; NULL: all its device declares
ALTER TABLE worker ADD COLUMN runtimes VARCHAR(1000);
-- comma-separated, in order: the first steers the search
ALTER TABLE job ADD COLUMN runtimes VARCHAR(500) NOT NULL DEFAULT 'frontier-jvm';
-- how many (device, runtime) measurements finish the trial; NULL: one per target device (older rows)
ALTER TABLE trial ADD COLUMN measures_expected INT;
-- a MEASURE task times one runtime's artifact (NULL runtime: frontier-jvm, the trial's artifact)
ALTER TABLE task ADD COLUMN runtime VARCHAR(50);
ALTER TABLE task ADD COLUMN artifact_sha256 VARCHAR(64);
ALTER TABLE measurement ADD COLUMN runtime VARCHAR(50) NOT NULL DEFAULT 'frontier-jvm';
ALTER TABLE measurement ADD COLUMN emulated BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE measurement DROP CONSTRAINT measurement_trial_device_uq;
ALTER TABLE measurement ADD CONSTRAINT measurement_trial_device_runtime_uq UNIQUE (trial_id, device_id, runtime);
-- a gate judges one runtime (its job's first); regression compares with the last pass on the same one
ALTER TABLE gate ADD COLUMN runtime VARCHAR(50) NOT NULL DEFAULT 'frontier-jvm';
