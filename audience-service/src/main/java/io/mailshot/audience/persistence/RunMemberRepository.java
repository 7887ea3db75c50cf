package io.mailshot.audience.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Table {@code run_member}: who each resolution attempt streamed (by {@code seq}) and held out, recorded while it
 * streams so that the contact history can name the profile behind each placement of a delivered run. Outside JTA:
 * an attempt's members are one binary {@code COPY} on a connection of their own, so they are committed whole, just
 * before the attempt's completion marker, or not at all.
 */
@ApplicationScoped
public class RunMemberRepository {

    private static final String COPY = "copy run_member (run_id, campaign_id, attempt_id, seq, namespace, identity,"
            + " household_key, holdout) from stdin (format binary)";

    private final DataSource dataSource;

    public RunMemberRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Opens the recording of one attempt's members; the caller commits it or closes it (which discards it). */
    public Recording open(UUID runId, UUID campaignId, UUID attemptId) throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            // Autocommit: the COPY is its own transaction, committed by its end, rolled back by its cancel.
            c.setAutoCommit(true);
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY);
            return new Recording(c, copy, runId, campaignId, attemptId);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * The members of one attempt being copied. Not thread-safe: written by the thread that walks the attempt's
     * cursor, a row of bytes at a time, handed to the connection in 64 KiB chunks.
     */
    public static final class Recording implements AutoCloseable {

        private final Connection connection;
        private final CopyIn copy;
        private final BinaryCopy rows;
        private final byte[] runId;
        private final byte[] campaignId;
        private final byte[] attemptId;
        private boolean ended;

        private Recording(Connection connection, CopyIn copy, UUID runId, UUID campaignId, UUID attemptId) {
            this.connection = connection;
            this.copy = copy;
            this.rows = new BinaryCopy(copy);
            this.runId = BinaryCopy.uuidBytes(runId);
            this.campaignId = BinaryCopy.uuidBytes(campaignId);
            this.attemptId = BinaryCopy.uuidBytes(attemptId);
        }

        /** A profile streamed as row {@code seq} of the attempt. */
        public void streamed(long seq, String namespace, String identity, String householdKey) throws SQLException {
            row(seq, namespace, identity, householdKey, false);
        }

        /** A profile the holdout kept out of the stream. */
        public void heldOut(String namespace, String identity, String householdKey) throws SQLException {
            row(-1, namespace, identity, householdKey, true);
        }

        private void row(long seq, String namespace, String identity, String householdKey, boolean holdout)
                throws SQLException {
            rows.row(8);
            rows.uuid(runId);
            rows.uuid(campaignId);
            rows.uuid(attemptId);
            if (seq < 0) {
                rows.nul();
            } else {
                rows.int8(seq);
            }
            rows.text(namespace);
            rows.text(identity);
            rows.text(householdKey);
            rows.bool(holdout);
        }

        /** Commits every member of the attempt; returns how many. */
        public long commit() throws SQLException {
            ended = true;
            return rows.end();
        }

        /** Discards the members unless committed, and gives the connection back. */
        @Override
        public void close() throws SQLException {
            try {
                if (!ended && copy.isActive()) {
                    copy.cancelCopy();
                }
            } catch (SQLException e) {
                // The connection may be broken already: closing it is all that is left, and the copy dies with it.
            } finally {
                connection.close();
            }
        }
    }

    /**
     * Deletes the members of runs that streamed longer ago than {@code age}: runs never delivered (failed, cancelled,
     * or delivered nowhere) and attempts superseded without being recorded. Returns how many rows went.
     */
    public int deleteOlderThan(Duration age) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "delete from run_member where streamed_at < now() - make_interval(secs => ?)")) {
            ps.setDouble(1, age.toMillis() / 1000.0);
            return ps.executeUpdate();
        }
    }
}
