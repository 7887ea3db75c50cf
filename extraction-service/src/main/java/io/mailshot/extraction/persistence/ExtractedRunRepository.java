package io.mailshot.extraction.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** JDBC access to {@code extracted_run}, the record of finished runs. */
@ApplicationScoped
public class ExtractedRunRepository {

    private final DataSource dataSource;

    public ExtractedRunRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<ExtractedRun> find(UUID runId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("select run_id, attempt_id, status, rows, object_key,"
                        + " bytes, sha256, reason, completed_at from extracted_run where run_id = ?")) {
            select.setObject(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long bytes = rs.getLong("bytes");
                Long nullableBytes = rs.wasNull() ? null : bytes;
                return Optional.of(new ExtractedRun(rs.getObject("run_id", UUID.class),
                        rs.getObject("attempt_id", UUID.class), ExtractedRun.Status.valueOf(rs.getString("status")),
                        rs.getLong("rows"), rs.getString("object_key"), nullableBytes, rs.getString("sha256"),
                        rs.getString("reason"), rs.getTimestamp("completed_at").toInstant()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read extracted run", e);
        }
    }

    public boolean exists(UUID runId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("select 1 from extracted_run where run_id = ?")) {
            select.setObject(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read extracted run", e);
        }
    }

    /** Inserts the run unless it is already recorded; returns whether this call recorded it. */
    public boolean insert(ExtractedRun run) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement("insert into extracted_run (run_id, attempt_id, status,"
                        + " rows, object_key, bytes, sha256, reason, completed_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " on conflict (run_id) do nothing")) {
            insert.setObject(1, run.runId());
            insert.setObject(2, run.attemptId());
            insert.setString(3, run.status().name());
            insert.setLong(4, run.rows());
            insert.setString(5, run.objectKey());
            if (run.bytes() == null) {
                insert.setNull(6, Types.BIGINT);
            } else {
                insert.setLong(6, run.bytes());
            }
            insert.setString(7, run.sha256());
            insert.setString(8, run.reason());
            insert.setTimestamp(9, Timestamp.from(run.completedAt()));
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("could not record extracted run", e);
        }
    }
}
