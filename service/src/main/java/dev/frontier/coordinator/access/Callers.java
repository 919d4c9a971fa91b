package dev.frontier.coordinator.access;

import java.util.Optional;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import dev.frontier.coordinator.system.ApiException;

/** The caller of the current request, for checks the URL rules cannot express. */
public final class Callers {
    private Callers() {
    }

    public static Optional<Caller> current() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && auth.getPrincipal() instanceof Caller c ? Optional.of(c) : Optional.empty();
    }

    /**
     * A worker token may act only for its own worker; admins may act for any (operations tools).
     * The lease service separately refuses a lease that belongs to another worker (409).
     */
    public static void requireActingFor(UUID workerId) {
        Caller c = current().orElseThrow(() -> new ApiException(HttpStatus.UNAUTHORIZED, "no token", null));
        if (c.isAdmin()) return;
        if (c.workerId() == null || !c.workerId().equals(workerId)) {
            throw new ApiException(HttpStatus.FORBIDDEN, "this token is bound to worker " + c.workerId()
                    + " and cannot act for worker " + workerId, "workerId");
        }
    }
}
