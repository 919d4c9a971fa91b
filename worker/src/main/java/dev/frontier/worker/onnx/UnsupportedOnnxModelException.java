package dev.frontier.worker.onnx;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A well-formed ONNX model that uses operators (or operator settings) the IR cannot express. The
 * message and {@link #problems()} list every one found, with the node's index and name, so the user
 * sees the whole list at once instead of fixing one op per upload.
 */
public final class UnsupportedOnnxModelException extends OnnxModelException {
    /** One node that cannot be imported; {@code index} is its position in the ONNX graph (-1: the model). */
    public record Problem(int index, String nodeName, String opType, String reason) {
        @Override
        public String toString() {
            String where = index < 0 ? "model" : "node " + index + (nodeName.isEmpty() ? "" : " '" + nodeName + "'");
            return opType + " (" + where + ")" + (reason.isEmpty() ? "" : ": " + reason);
        }
    }

    private final List<Problem> problems;

    public UnsupportedOnnxModelException(List<Problem> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String message(List<Problem> problems) {
        String ops = problems.stream().map(Problem::opType).distinct().sorted().collect(Collectors.joining(", "));
        return "unsupported ONNX model: " + problems.size() + " node(s) cannot be imported [" + ops + "]; "
                + problems.stream().map(Problem::toString).collect(Collectors.joining("; "))
                + ". Supported: " + String.join(", ", OnnxImporter.SUPPORTED_OPS);
    }
}
