package dev.frontier.coordinator.access;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import dev.frontier.coordinator.api.model.AccessRole;

/**
 * Who sent a request, as its token says. A worker token bound to a worker may lease and report for
 * that worker; one not bound yet (an enrollment token) may only register workers and devices.
 */
public record Caller(UUID tokenId, String name, AccessRole role, UUID workerId) {
    static final String ADMIN = "ADMIN";
    static final String MEMBER = "MEMBER";
    /** a worker token bound to its worker: leases, reports, artifact uploads */
    static final String WORKER = "WORKER";
    /** any worker token, bound or not: registers workers and devices, heartbeats devices */
    static final String AGENT = "AGENT";

    public boolean isAdmin() {
        return role == AccessRole.ADMIN;
    }

    public boolean isEnrollment() {
        return role == AccessRole.WORKER && workerId == null;
    }

    List<GrantedAuthority> authorities() {
        List<GrantedAuthority> out = new ArrayList<>();
        switch (role) {
            case ADMIN -> out.add(new SimpleGrantedAuthority("ROLE_" + ADMIN));
            case MEMBER -> out.add(new SimpleGrantedAuthority("ROLE_" + MEMBER));
            case WORKER -> {
                out.add(new SimpleGrantedAuthority("ROLE_" + AGENT));
                if (workerId != null) out.add(new SimpleGrantedAuthority("ROLE_" + WORKER));
            }
        }
        return out;
    }
}
