package dev.frontier.coordinator.access;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

import dev.frontier.coordinator.api.model.AccessRole;
import dev.frontier.coordinator.system.FrontierProperties;

/**
 * At start: makes FRONTIER_ADMIN_TOKEN and FRONTIER_WORKER_TOKEN valid when set; otherwise, when no
 * admin token exists at all (first start), generates one and prints it once on the console, and
 * writes it to {@code <data dir>/admin-token} (owner-only) so local scripts such as the demo can
 * find it, the way Jenkins leaves its initial admin password.
 */
@Component
class AccessBootstrap implements ApplicationRunner {
    static final String ADMIN_SLOT = "admin-setting";
    static final String WORKER_SLOT = "worker-setting";
    static final String GENERATED_SLOT = "admin-generated";
    static final String TOKEN_FILE = "admin-token";
    private static final Logger log = LoggerFactory.getLogger(AccessBootstrap.class);
    private final ApiTokenService tokens;
    private final FrontierProperties props;

    AccessBootstrap(ApiTokenService tokens, FrontierProperties props) {
        this.tokens = tokens;
        this.props = props;
    }

    @Override
    public void run(ApplicationArguments args) {
        FrontierProperties.Auth auth = props.auth();
        if (auth.adminToken() != null) {
            once(() -> {
                if (tokens.ensureBootstrap(ADMIN_SLOT, "admin (FRONTIER_ADMIN_TOKEN)", AccessRole.ADMIN, auth.adminToken())) {
                    log.info("admin token from FRONTIER_ADMIN_TOKEN is active");
                }
            });
        }
        if (auth.workerToken() != null) {
            once(() -> {
                if (tokens.ensureBootstrap(WORKER_SLOT, "worker enrollment (FRONTIER_WORKER_TOKEN)", AccessRole.WORKER, auth.workerToken())) {
                    log.info("worker enrollment token from FRONTIER_WORKER_TOKEN is active");
                }
            });
        }
        if (!tokens.hasActiveAdmin()) once(this::generateAdmin);
    }

    private void generateAdmin() {
        String secret = Secrets.generate();
        if (!tokens.ensureBootstrap(GENERATED_SLOT, "admin (generated at first start)", AccessRole.ADMIN, secret)) return;
        Path file = Path.of(props.dataDir()).resolve(TOKEN_FILE);
        String where;
        try {
            writeOwnerOnly(file, secret);
            where = "It is also in " + file.toAbsolutePath().normalize() + " (readable by its owner only).";
        } catch (IOException | UnsupportedOperationException e) {
            where = "It could not be written to " + file + " (" + e.getMessage() + "): copy it now.";
        }
        // printed, not logged: this one line is the only place the secret ever appears
        System.out.println("""

                ==== Frontier admin token (generated at first start; shown this once) ====
                %s
                %s
                Use it as 'Authorization: Bearer <token>', in the dashboard's token dialog, or as
                FRONTIER_TOKEN for the CLI. Set FRONTIER_ADMIN_TOKEN to choose it yourself.
                ===========================================================================
                """.formatted(secret, where));
    }

    private static void writeOwnerOnly(Path file, String secret) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(TOKEN_FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
        Files.writeString(tmp, secret + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Two replicas starting together race for the same bootstrap slot; the loser finds it taken. */
    private static void once(Runnable step) {
        try {
            step.run();
        } catch (DataIntegrityViolationException e) {
            log.info("another replica set up the token at the same time");
        }
    }
}
