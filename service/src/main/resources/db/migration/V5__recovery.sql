-- Answers worth shipping (issue 17): a validation split for selection, accuracy recovery inside the
-- search (BN recalibration, distillation, weight inheritance), a polish stage, one goal with a
-- usefulness floor.
ALTER TABLE job ADD COLUMN validation_fraction DOUBLE PRECISION;
ALTER TABLE job ADD COLUMN validation_seed BIGINT;
ALTER TABLE job ADD COLUMN fidelity_final DOUBLE PRECISION;
ALTER TABLE job ADD COLUMN polish_top INT NOT NULL DEFAULT 0;
ALTER TABLE job ADD COLUMN polish_started BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE job ADD COLUMN bn_recalibration BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE job ADD COLUMN distillation BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE job ADD COLUMN inherit_weights BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE job ADD COLUMN usefulness_drop DOUBLE PRECISION;
ALTER TABLE job ADD COLUMN purpose VARCHAR(20) NOT NULL DEFAULT 'SEARCH';
ALTER TABLE trial ADD COLUMN validation_accuracy DOUBLE PRECISION;
ALTER TABLE trial ADD COLUMN checkpoint_sha256 VARCHAR(64);
ALTER TABLE trial ADD COLUMN inherited_from INT;
ALTER TABLE trial ADD COLUMN inherit_sha256 VARCHAR(64);
ALTER TABLE trial ADD COLUMN inherit_fidelity DOUBLE PRECISION;
ALTER TABLE trial ADD COLUMN polish BOOLEAN NOT NULL DEFAULT FALSE;
