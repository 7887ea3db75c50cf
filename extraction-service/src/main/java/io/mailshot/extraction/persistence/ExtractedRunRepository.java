package io.mailshot.extraction.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
                        + " bytes, sha256, reason, completed_at, parts, seed_rows, rejected_rows, manifest_key from extracted_run"
                        + " where run_id = ?")) {
            select.setObject(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long bytes = rs.getLong("bytes");
                Long nullableBytes = rs.wasNull() ? null : bytes;
                return Optional.of(new ExtractedRun(
                        rs.getObject("run_id", UUID.class),
                        rs.getObject("attempt_id", UUID.class),
                        ExtractedRun.Status.valueOf(rs.getString("status")),
                        rs.getLong("rows"),
                        rs.getString("object_key"),
                        nullableBytes,
                        rs.getString("sha256"),
                        rs.getString("reason"),
                        rs.getTimestamp("completed_at").toInstant(),
                        rs.getInt("parts"),
                        rs.getLong("seed_rows"),
                        rs.getLong("rejected_rows"),
                        rs.getString("manifest_key")));
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
                        + " rows, object_key, bytes, sha256, reason, completed_at, parts, seed_rows, rejected_rows, manifest_key)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
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
            insert.setInt(10, run.parts());
            insert.setLong(11, run.seedRows());
            insert.setLong(12, run.rejectedRows());
            insert.setString(13, run.manifestKey());
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("could not record extracted run", e);
        }
    }

    /** Completed runs finished before {@code before} whose staged objects are still there, oldest first. */
    public List<UUID> expired(Instant before, int limit) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select =
                        c.prepareStatement("select run_id from extracted_run where status = 'COMPLETED'"
                                + " and purged_at is null and completed_at < ? order by completed_at limit ?")) {
            select.setTimestamp(1, Timestamp.from(before));
            select.setInt(2, limit);
            List<UUID> ids = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read expired runs", e);
        }
    }

    /** Marks a run's staged objects as removed (the first time only: a repeated purge keeps the first time). */
    public void markPurged(UUID runId, Instant at) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement update = c.prepareStatement(
                        "update extracted_run set purged_at = coalesce(purged_at, ?) where run_id = ?")) {
            update.setTimestamp(1, Timestamp.from(at));
            update.setObject(2, runId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not mark run purged", e);
        }
    }
}
