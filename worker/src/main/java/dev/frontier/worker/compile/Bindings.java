package dev.frontier.worker.compile;

/** Resolves value names to the arena buffers and layouts the executor allocated for them. */
public interface Bindings {
    float[] buffer(String value);

    Layout layout(String value);
}
