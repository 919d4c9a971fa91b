package dev.frontier.coordinator.access;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

import dev.frontier.coordinator.artifact.Sha256;

/** Token secrets: 256 random bits, printable, with a prefix that says what they are. */
final class Secrets {
    static final String PREFIX = "frt_";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SHOWN_CHARS = 8;

    private Secrets() {
    }

    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String secret) {
        return Sha256.hex(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** What a token list shows of a secret: enough to recognise it, far too little to use it. */
    static String shownPrefix(String secret) {
        return secret.substring(0, Math.min(SHOWN_CHARS, secret.length() / 3)) + "…";
    }
}
