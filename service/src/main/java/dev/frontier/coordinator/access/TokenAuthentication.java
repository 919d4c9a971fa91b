package dev.frontier.coordinator.access;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/** A request authenticated by an API token; the credentials (the secret) are not kept. */
final class TokenAuthentication extends AbstractAuthenticationToken {
    private final Caller caller;

    TokenAuthentication(Caller caller) {
        super(caller.authorities());
        this.caller = caller;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Caller getPrincipal() {
        return caller;
    }

    @Override
    public String getName() {
        return caller.name();
    }
}
