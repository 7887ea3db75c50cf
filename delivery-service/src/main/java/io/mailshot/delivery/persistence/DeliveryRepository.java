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

/**
 * JDBC access to {@code delivery} and {@code delivered_file}. Callers hold the transaction. A run's original
 * delivery has the run id as its id; re-sends have their own ids.
 */
@ApplicationScoped
public class DeliveryRepository {

    private static final String COLUMNS = "id, run_id, kind, routing_id, status, attempts, destination, error,"
            + " created_at, updated_at, staged, attempt_base, next_attempt_at";

    private final DataSource dataSource;

    public DeliveryRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The delivery, locked for the rest of the transaction so concurrent consumers serialise on it. */
    public Optional<DeliveryRow> findForUpdate(UUID deliveryId) {
        return find(deliveryId, true);
    }

    public Optional<DeliveryRow> find(UUID deliveryId) {
        return find(deliveryId, false);
    }

    /** Every delivery of the run, the original first, then re-sends oldest first. */
    public List<DeliveryRow> listByRun(UUID runId) {
        List<UUID> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select id from delivery where run_id = ? order by (kind = 'ORIGINAL') desc, created_at, id")) {
            s.setObject(1, runId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not list deliveries of run " + runId, e);
        }
        return ids.stream().map(this::find).flatMap(Optional::stream).toList();
    }

    /**
     * Creates the run's original delivery (id = run id), IN_PROGRESS and due now, unless it exists; true when it
     * was created.
     */
    public boolean insertOriginalIfAbsent(UUID runId, UUID routingId, String destination, String staged) {
        Timestamp now = Timestamp.from(Instant.now());
        return updateUnlessDuplicate(
                "insert into delivery (id, run_id, kind, routing_id, status, attempts, destination,"
                        + " created_at, updated_at, staged, next_attempt_at) values (?, ?, 'ORIGINAL', ?, 'IN_PROGRESS', 0, ?, ?,"
                        + " ?, ?, ?) on conflict do nothing",
                runId,
                runId,
                routingId,
                destination,
                now,
                now,
                staged,
                now);
    }

    /**
     * Creates a re-send of the run's staged files, due now; false when one to this routing is already in
     * progress.
     */
    public boolean insertResend(UUID id, UUID runId, UUID routingId, String destination, String staged) {
        Timestamp now = Timestamp.from(Instant.now());
        return updateUnlessDuplicate(
                "insert into delivery (id, run_id, kind, routing_id, status, attempts, destination,"
                        + " created_at, updated_at, staged, attempt_base, next_attempt_at) values (?, ?, 'RESEND', ?,"
                        + " 'IN_PROGRESS', 0, ?, ?, ?, ?, (select coalesce(sum(attempts), 0) from delivery where run_id = ?), ?)"
                        + " on conflict do nothing",
                id,
                runId,
                routingId,
                destination,
                now,
                now,
                staged,
                runId,
                now);
    }

    /** Settles or reschedules a delivery; {@code nextAttemptAt} is null unless it is retried. */
    public void update(
            UUID deliveryId, String status, int attempts, String destination, String error, Instant nextAttemptAt) {
        update(
                "update delivery set status = ?, attempts = ?, destination = ?, error = ?, updated_at = ?,"
                        + " next_attempt_at = ? where id = ?",
                status,
                attempts,
                destination,
                error,
                Timestamp.from(Instant.now()),
                nextAttemptAt == null ? null : Timestamp.from(nextAttemptAt),
                deliveryId);
    }

    /** Records what was published, in delivery order; {@code manifestName} (null: none) is flagged as the manifest. */
    public void replaceFiles(UUID deliveryId, UUID runId, List<DeliveredFile> files, String manifestName) {
        update("delete from delivered_file where delivery_id = ?", deliveryId);
        for (int i = 0; i < files.size(); i++) {
            DeliveredFile f = files.get(i);
            update(
                    "insert into delivered_file (delivery_id, run_id, name, location, bytes, sha256, position, manifest)"
                            + " values (?, ?, ?, ?, ?, ?, ?, ?)",
                    deliveryId,
                    runId,
                    f.name(),
                    f.location(),
                    f.bytes(),
                    f.sha256(),
                    i,
                    f.name().equals(manifestName));
        }
    }

    private Optional<DeliveryRow> find(UUID deliveryId, boolean lock) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select " + COLUMNS + " from delivery where id = ?" + (lock ? " for update" : ""))) {
            s.setObject(1, deliveryId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new DeliveryRow(
                        rs.getObject("id", UUID.class),
                        rs.getObject("run_id", UUID.class),
                        rs.getString("kind"),
                        rs.getObject("routing_id", UUID.class),
                        rs.getString("status"),
                        rs.getInt("attempts"),
                        rs.getString("destination"),
                        rs.getString("error"),
                        rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("updated_at").toInstant(),
                        rs.getString("staged"),
                        rs.getInt("attempt_base"),
                        instant(rs.getTimestamp("next_attempt_at")),
                        files(c, deliveryId)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read delivery " + deliveryId, e);
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static List<DeliveredFile> files(Connection c, UUID deliveryId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select name, location, bytes, sha256 from delivered_file"
                + " where delivery_id = ? order by position, name")) {
            s.setObject(1, deliveryId);
            List<DeliveredFile> files = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    files.add(new DeliveredFile(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4)));
                }
            }
            return files;
        }
    }

    /** Runs an {@code insert ... on conflict do nothing}; false when the row was not inserted. */
    private boolean updateUnlessDuplicate(String sql, Object... params) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("could not write delivery: " + e.getSQLState(), e);
        }
    }

    private void update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not write delivery: " + e.getSQLState(), e);
        }
    }
}
