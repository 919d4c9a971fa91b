package dev.frontier.coordinator.system;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs a scheduled duty on one coordinator replica at a time. The lock is a PostgreSQL session
 * advisory lock held on a connection of its own for the length of the duty, so the duty's own
 * transactions are untouched and a replica that dies releases the lock with its connection.
 */
@Component
public class ClusterLock {
    private static final Logger log = LoggerFactory.getLogger(ClusterLock.class);
    private final DataSource dataSource;

    public ClusterLock(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs {@code duty} if no other replica is running the duty of that name; returns whether it ran. */
    public boolean runExclusively(String name, Runnable duty) {
        try (Connection c = dataSource.getConnection()) {
            if (!call(c, "select pg_try_advisory_lock(hashtext(?))", name)) {
                return false;
            }
            try {
                duty.run();
                return true;
            } finally {
                call(c, "select pg_advisory_unlock(hashtext(?))", name);
            }
        } catch (SQLException e) {
            log.warn("cluster lock '{}' unavailable ({}); the duty is skipped this round", name, e.getMessage());
            return false;
        }
    }

    private static boolean call(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
