package io.mailshot.audience.persistence;

import io.mailshot.events.ExclusionCounts;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
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
                        + " streamed, no_consent, no_address, suppressed, duplicate, holdout, returned, pressure,"
                        + " completed_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())"
                        + " on conflict (run_id) do nothing")) {
            ps.setObject(1, runId);
            ps.setObject(2, attemptId);
            ps.setLong(3, matched);
            ps.setLong(4, streamed);
            ps.setLong(5, excluded.noConsent());
            ps.setLong(6, excluded.noAddress());
            ps.setLong(7, excluded.suppressed());
            ps.setLong(8, excluded.duplicate());
            ps.setLong(9, excluded.holdout());
            ps.setLong(10, excluded.returned());
            ps.setLong(11, excluded.pressure());
            return ps.executeUpdate() == 1;
        }
    }

    /** Records that the run is split into slices; false when it already was (a redelivered request). */
    public boolean planSlices(UUID runId, int slices) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into sliced_run (run_id, slices, planned_at)"
                        + " values (?, ?, now()) on conflict (run_id) do nothing")) {
            ps.setObject(1, runId);
            ps.setInt(2, slices);
            return ps.executeUpdate() == 1;
        }
    }

    /** A run split into slices: how many, and how long ago the split was recorded (by the database's clock). */
    public record SlicedRun(int slices, Duration age) {}

    /** Locks the sliced run until the transaction ends; empty when the run is not sliced. */
    public Optional<SlicedRun> lockSlicedRun(UUID runId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("select slices, extract(epoch from clock_timestamp() - planned_at) * 1000"
                                + " from sliced_run where run_id = ? for update")) {
            ps.setObject(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new SlicedRun(rs.getInt(1), Duration.ofMillis(Math.max(0, rs.getLong(2)))))
                        : Optional.empty();
            }
        }
    }

    public boolean isSliceResolved(UUID runId, int slice) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("select 1 from resolved_slice where run_id = ? and slice = ?")) {
            ps.setObject(1, runId);
            ps.setInt(2, slice);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Records a slice's completed attempt; false when another attempt of the slice was recorded first. */
    public boolean insertSlice(
            UUID runId, int slice, UUID attemptId, long matched, long streamed, ExclusionCounts excluded)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into resolved_slice (run_id, slice, attempt_id,"
                        + " matched, streamed, no_consent, no_address, suppressed, duplicate, holdout, returned,"
                        + " pressure, completed_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())"
                        + " on conflict (run_id, slice) do nothing")) {
            ps.setObject(1, runId);
            ps.setInt(2, slice);
            ps.setObject(3, attemptId);
            ps.setLong(4, matched);
            ps.setLong(5, streamed);
            ps.setLong(6, excluded.noConsent());
            ps.setLong(7, excluded.noAddress());
            ps.setLong(8, excluded.suppressed());
            ps.setLong(9, excluded.duplicate());
            ps.setLong(10, excluded.holdout());
            ps.setLong(11, excluded.returned());
            ps.setLong(12, excluded.pressure());
            return ps.executeUpdate() == 1;
        }
    }

    /** The sums over a sliced run's resolved slices. */
    public record SliceTotals(int slices, long matched, long streamed, ExclusionCounts excluded) {}

    public SliceTotals sliceTotals(UUID runId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select count(*), coalesce(sum(matched), 0),"
                        + " coalesce(sum(streamed), 0), coalesce(sum(no_consent), 0), coalesce(sum(no_address), 0),"
                        + " coalesce(sum(suppressed), 0), coalesce(sum(duplicate), 0), coalesce(sum(holdout), 0),"
                        + " coalesce(sum(returned), 0), coalesce(sum(pressure), 0)"
                        + " from resolved_slice where run_id = ?")) {
            ps.setObject(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new SliceTotals(
                        rs.getInt(1),
                        rs.getLong(2),
                        rs.getLong(3),
                        new ExclusionCounts(
                                rs.getLong(4),
                                rs.getLong(5),
                                rs.getLong(6),
                                rs.getLong(7),
                                rs.getLong(8),
                                rs.getLong(9),
                                rs.getLong(10)));
            }
        }
    }
}
