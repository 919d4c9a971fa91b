package dev.frontier.worker.train;

import dev.frontier.worker.model.Graph;

/**
 * Knowledge distillation during (fine-)training: the student also learns the teacher's softened
 * class distribution, which carries more than the hard label (which wrong classes are close). For a
 * pruned model the natural teacher is the dense model it came from.
 *
 * <p>Loss = (1 - weight) * cross-entropy(labels) + weight * T^2 * KL(softmax(teacher / T) ||
 * softmax(student / T)); the T^2 keeps the soft term's gradients on the scale of the hard one
 * (Hinton et al., 2015).
 *
 * @param teacher     a model with the same input and output as the student (run in inference mode)
 * @param temperature softening T, > 0 (4 is common for 10 classes)
 * @param weight      share of the soft term in [0, 1]
 */
public record Distillation(Graph teacher, float temperature, float weight) {
    public static final float DEFAULT_TEMPERATURE = 4f;
    public static final float DEFAULT_WEIGHT = 0.9f;

    public Distillation {
        if (teacher == null) {
            throw new IllegalArgumentException("distillation needs a teacher model");
        }
        if (!(temperature > 0) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("distillation temperature must be > 0, got " + temperature);
        }
        if (!(weight >= 0 && weight <= 1)) {
            throw new IllegalArgumentException("distillation weight must be in [0, 1], got " + weight);
        }
    }

    public static Distillation from(Graph teacher) {
        return new Distillation(teacher, DEFAULT_TEMPERATURE, DEFAULT_WEIGHT);
    }
}
