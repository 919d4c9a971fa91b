package dev.frontier.worker.onnx;

import dev.frontier.worker.model.InvalidModelException;

/**
 * An ONNX file that cannot be read: not protobuf, truncated, a value or initializer that is missing,
 * shapes that contradict each other. It is an {@link InvalidModelException}, so the CLI exits with 2
 * and the agent reports a non-retryable INVALID_MODEL failure.
 */
public class OnnxModelException extends InvalidModelException {
    public OnnxModelException(String message) {
        super(message);
    }
}
