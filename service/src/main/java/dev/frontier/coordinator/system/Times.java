package dev.frontier.coordinator.system;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The API speaks OffsetDateTime (UTC); storage speaks Instant. */
public final class Times {
    private Times() {
    }

    public static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
