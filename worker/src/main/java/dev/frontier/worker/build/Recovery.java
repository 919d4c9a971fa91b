package dev.frontier.worker.build;

/** Accuracy recovery of a build (openapi Recovery): batch-norm recalibration, distillation from the dense model. */
public record Recovery(boolean bnRecalibration, boolean distillation) {
    public static final Recovery DEFAULTS = new Recovery(true, false);
    public static final Recovery NONE = new Recovery(false, false);
}
