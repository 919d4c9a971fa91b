package dev.frontier.coordinator.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import tools.jackson.databind.JsonNode;

/**
 * The differences between two JSON trees by meaning, one readable line each, such as
 * {@code components.schemas.Job.properties.rate.exclusiveMinimum: only in expected (true)}. Key
 * order does not matter, numbers compare by value (1 equals 1.0), and a {@code required} list is a
 * set; every other array is compared in order.
 */
public final class JsonTreeDiff {
    private final List<String> lines = new ArrayList<>();

    private JsonTreeDiff() {
    }

    public static List<String> between(JsonNode expected, JsonNode actual) {
        JsonTreeDiff diff = new JsonTreeDiff();
        diff.compare("", expected, actual);
        return diff.lines;
    }

    private void compare(String at, JsonNode expected, JsonNode actual) {
        if (expected.isObject() && actual.isObject()) {
            compareObjects(at, expected, actual);
        } else if (expected.isArray() && actual.isArray()) {
            if (at.equals("required") || at.endsWith(".required")) compareAsSets(at, expected, actual);
            else compareArrays(at, expected, actual);
        } else if (expected.isNumber() && actual.isNumber()) {
            if (expected.decimalValue().compareTo(actual.decimalValue()) != 0) differ(at, expected, actual);
        } else if (!expected.equals(actual)) {
            differ(at, expected, actual);
        }
    }

    private void compareObjects(String at, JsonNode expected, JsonNode actual) {
        Set<String> keys = new TreeSet<>(expected.propertyNames());
        keys.addAll(actual.propertyNames());
        for (String key : keys) {
            String child = at.isEmpty() ? name(key) : at + "." + name(key);
            if (!actual.has(key)) lines.add(child + ": only in expected (" + brief(expected.get(key)) + ")");
            else if (!expected.has(key)) lines.add(child + ": only in actual (" + brief(actual.get(key)) + ")");
            else compare(child, expected.get(key), actual.get(key));
        }
    }

    private void compareArrays(String at, JsonNode expected, JsonNode actual) {
        if (expected.size() != actual.size()) {
            differ(at, expected, actual);
            return;
        }
        for (int i = 0; i < expected.size(); i++) compare(at + "[" + i + "]", expected.get(i), actual.get(i));
    }

    private void compareAsSets(String at, JsonNode expected, JsonNode actual) {
        Set<String> want = texts(expected);
        Set<String> have = texts(actual);
        for (String s : want) if (!have.contains(s)) lines.add(at + ": " + s + " only in expected");
        for (String s : have) if (!want.contains(s)) lines.add(at + ": " + s + " only in actual");
    }

    private void differ(String at, JsonNode expected, JsonNode actual) {
        lines.add(at + ": expected " + brief(expected) + ", actual " + brief(actual));
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> out = new TreeSet<>();
        for (int i = 0; i < array.size(); i++) out.add(array.get(i).toString());
        return out;
    }

    /** Keys such as "/api/v1/jobs" or "201" are quoted so a path reads unambiguously. */
    private static String name(String key) {
        return key.matches("[A-Za-z_$][A-Za-z0-9_$-]*") ? key : "\"" + key + "\"";
    }

    private static String brief(JsonNode node) {
        String s = node.toString();
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
