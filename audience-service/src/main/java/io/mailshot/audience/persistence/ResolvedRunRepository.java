package io.mailshot.audience.persistence;

import io.mailshot.events.ExclusionCounts;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/** JDBC access to table {@code resolved_run}: runs whose profile stream completed. Used inside JTA. */
@ApplicationScoped
public class ResolvedRunRepository {

    private final DataSource dataSource;

    public ResolvedRunRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public boolean isResolved(UUID runId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select 1 from resolved_run where run_id = ?")) {
            ps.setObject(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Records the completed attempt; returns false when another attempt of the run was recorded first. */
    public boolean insert(UUID runId, UUID attemptId, long matched, long streamed, ExclusionCounts excluded)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into resolved_run (run_id, attempt_id, matched,"
                        + " streamed, no_consent, no_address, suppressed, duplicate, holdout, completed_at)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, now()) on conflict (run_id) do nothing")) {
            ps.setObject(1, runId);
            ps.setObject(2, attemptId);
            ps.setLong(3, matched);
            ps.setLong(4, streamed);
            ps.setLong(5, excluded.noConsent());
            ps.setLong(6, excluded.noAddress());
            ps.setLong(7, excluded.suppressed());
            ps.setLong(8, excluded.duplicate());
            ps.setLong(9, excluded.holdout());
            return ps.executeUpdate() == 1;
        }
    }
}
