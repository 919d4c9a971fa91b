package dev.frontier.coordinator.system;

/** A refused state change; surfaces as 409 when a request caused it. */
public class IllegalTransitionException extends RuntimeException {
    public IllegalTransitionException(String what, Object from, Object to) {
        super(what + " cannot move from " + from + " to " + to);
    }
}
