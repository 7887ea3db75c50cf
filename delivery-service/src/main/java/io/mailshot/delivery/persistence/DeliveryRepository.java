package io.mailshot.delivery.persistence;

import io.mailshot.events.DeliveredFile;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** JDBC access to {@code delivery} and {@code delivered_file}. Callers hold the transaction. */
@ApplicationScoped
public class DeliveryRepository {

    private final DataSource dataSource;

    public DeliveryRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The delivery row, locked for the rest of the transaction so concurrent consumers serialise on a run. */
    public Optional<DeliveryRow> findForUpdate(UUID runId) {
        return find(runId, true);
    }

    public Optional<DeliveryRow> find(UUID runId) {
        return find(runId, false);
    }

    /** Creates the row in IN_PROGRESS unless it exists. */
    public void insertIfAbsent(UUID runId, UUID routingId, String destination) {
        update("insert into delivery (run_id, routing_id, status, attempts, destination, updated_at)"
                + " values (?, ?, 'IN_PROGRESS', 0, ?, ?) on conflict (run_id) do nothing",
                runId, routingId, destination, Timestamp.from(Instant.now()));
    }

    public void update(UUID runId, String status, int attempts, String destination, String error) {
        update("update delivery set status = ?, attempts = ?, destination = ?, error = ?, updated_at = ?"
                + " where run_id = ?", status, attempts, destination, error, Timestamp.from(Instant.now()), runId);
    }

    public void replaceFiles(UUID runId, List<DeliveredFile> files) {
        update("delete from delivered_file where run_id = ?", runId);
        for (DeliveredFile f : files) {
            update("insert into delivered_file (run_id, name, location, bytes, sha256) values (?, ?, ?, ?, ?)",
                    runId, f.name(), f.location(), f.bytes(), f.sha256());
        }
    }

    private Optional<DeliveryRow> find(UUID runId, boolean lock) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select run_id, routing_id, status, attempts, destination,"
                        + " error, updated_at from delivery where run_id = ?" + (lock ? " for update" : ""))) {
            s.setObject(1, runId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new DeliveryRow(rs.getObject("run_id", UUID.class),
                        rs.getObject("routing_id", UUID.class), rs.getString("status"), rs.getInt("attempts"),
                        rs.getString("destination"), rs.getString("error"), rs.getTimestamp("updated_at").toInstant(),
                        files(c, runId)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read delivery " + runId, e);
        }
    }

    private static List<DeliveredFile> files(Connection c, UUID runId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "select name, location, bytes, sha256 from delivered_file where run_id = ? order by name")) {
            s.setObject(1, runId);
            List<DeliveredFile> files = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    files.add(new DeliveredFile(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4)));
                }
            }
            return files;
        }
    }

    private void update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not write delivery: " + e.getSQLState(), e);
        }
    }
}
