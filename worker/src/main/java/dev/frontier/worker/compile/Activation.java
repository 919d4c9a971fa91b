package dev.frontier.worker.compile;

/** An activation fused into the kernel that produces a value. */
public enum Activation {
    NONE, RELU, RELU6;

    public float apply(float v) {
        return switch (this) {
            case NONE -> v;
            case RELU -> Math.max(0f, v);
            case RELU6 -> Math.min(6f, Math.max(0f, v));
        };
    }
}
