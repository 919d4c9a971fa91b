package dev.frontier.coordinator.access;

import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

import dev.frontier.coordinator.api.AccessApi;
import dev.frontier.coordinator.api.model.ApiToken;
import dev.frontier.coordinator.api.model.TokenRequest;
import dev.frontier.coordinator.system.ApiException;

@RestController
class TokenController implements AccessApi {
    private final ApiTokenService tokens;

    TokenController(ApiTokenService tokens) {
        this.tokens = tokens;
    }

    @Override
    public ResponseEntity<dev.frontier.coordinator.api.model.Caller> whoAmI() {
        Caller c = Callers.current().orElseThrow(() -> new ApiException(HttpStatus.UNAUTHORIZED, "no token", null));
        return ResponseEntity.ok(new dev.frontier.coordinator.api.model.Caller(c.name(), c.role())
                .tokenId(c.tokenId()).workerId(c.workerId()).enrollment(c.isEnrollment()));
    }

    @Override
    public ResponseEntity<List<ApiToken>> listTokens() {
        return ResponseEntity.ok(tokens.list());
    }

    @Override
    public ResponseEntity<ApiToken> createToken(TokenRequest req) {
        return ResponseEntity.status(HttpStatus.CREATED).body(tokens.create(req.getName(), req.getRole()).token());
    }

    @Override
    public ResponseEntity<ApiToken> revokeToken(UUID tokenId) {
        return ResponseEntity.ok(tokens.revoke(tokenId));
    }
}
