package dev.frontier.coordinator.system;

/**
 * Checks on free-text names before they are stored: control characters (NUL, CR/LF, ...) end up in
 * logs, headers and PostgreSQL, which rejects NUL outright; a clean 400 names the field instead.
 */
public final class Names {
    private Names() {
    }

    /** Throws a 400 naming {@code field} when {@code value} holds a control character. */
    public static void requirePrintable(String field, String value) {
        if (value == null) return;
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw ApiException.badRequest(field, field + " must not contain control characters (found U+"
                        + String.format("%04X", (int) value.charAt(i)) + " at " + i + ")");
            }
        }
    }
}
