package io.mailshot.audience.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * Tables {@code contact_history} and {@code recorded_run}: a delivered run's contacts, recorded from its members
 * ({@code run_member}) and the placements the extraction staged, all in the caller's transaction; and the reads of
 * the history (a profile's, a campaign's). Carries PII: never log a row.
 */
@ApplicationScoped
public class ContactHistoryRepository {

    /** The attempts the resolution recorded for a run: the run's own, or one per slice of a sliced run. */
    private static final String RECORDED_ATTEMPTS = "(select attempt_id from resolved_slice where run_id = ?"
            + " union all select r.attempt_id from resolved_run r where r.run_id = ?"
            + " and not exists (select 1 from sliced_run s where s.run_id = r.run_id))";

    /** The advisory lock key of {@link #lock} ("mailshot.contact_history"). */
    private static final long HISTORY_LOCK = 0x6d61696c73686f74L;

    private static final String COLUMNS =
            "run_id, campaign_id, namespace, identity, household_key, file_name, part, cell, holdout, contacted_at";

    private final DataSource dataSource;

    public ContactHistoryRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Receives the staged placements of a run, one at a time. */
    public interface PlacementSink {
        void add(UUID attemptId, long seq, String file, int part, String cell) throws SQLException;
    }

    /** Feeds a run's placements to the sink; false when the run has none staged (nothing was fed). */
    @FunctionalInterface
    public interface PlacementSource {
        boolean feed(PlacementSink sink) throws Exception;
    }

    /**
     * What recording a run did.
     *
     * @param placements placement lines read (0 when none were staged)
     * @param staged whether the run's placements were staged (when not, mailed rows have no file or part)
     */
    public record Recorded(UUID campaignId, long mailed, long heldOut, long placements, boolean staged) {}

    /**
     * Records the contacts of a delivered run in the caller's transaction: the placements are copied into a table of
     * the transaction, joined to the run's members on (attempt, seq), the held-out members of the attempts the
     * resolution recorded added, the run marked recorded, and its members deleted. Empty, having written nothing,
     * when the run is already recorded (another event of the same delivery) or has no members (resolved before
     * members were recorded, or aged out). Must run in a transaction: every statement goes through one connection.
     */
    public Optional<Recorded> record(UUID runId, Instant contactedAt, PlacementSource source) throws Exception {
        // PostgreSQL keeps microseconds, and would round: truncated here, so the stored time never lies after the
        // event.
        OffsetDateTime at = contactedAt.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
        try (Connection c = dataSource.getConnection()) {
            UUID campaignId;
            try (PreparedStatement ps =
                    c.prepareStatement("select campaign_id from run_member where run_id = ? limit 1")) {
                ps.setObject(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    campaignId = rs.getObject(1, UUID.class);
                }
            }
            // The run's row first: a concurrent recording of the same run waits on it, then finds it and stops.
            try (PreparedStatement ps = c.prepareStatement("insert into recorded_run (run_id, campaign_id, mailed,"
                    + " held_out, recorded_at) values (?, ?, 0, 0, now()) on conflict do nothing")) {
                ps.setObject(1, runId);
                ps.setObject(2, campaignId);
                if (ps.executeUpdate() == 0) {
                    return Optional.empty();
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("create temp table placement_in (attempt_id uuid not null, seq bigint not null,"
                        + " file_name text not null, part integer not null, cell text) on commit drop");
            }
            long[] lines = {0};
            BinaryCopy copy = new BinaryCopy(c.unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn("copy placement_in (attempt_id, seq, file_name, part, cell) from stdin (format binary)"));
            boolean staged;
            try {
                staged = source.feed((attemptId, seq, file, part, cell) -> {
                    copy.row(5);
                    copy.uuid(BinaryCopy.uuidBytes(attemptId));
                    copy.int8(seq);
                    copy.text(file);
                    copy.int4(part);
                    copy.text(cell);
                    lines[0]++;
                });
            } catch (Exception e) {
                copy.cancel();
                throw e;
            }
            copy.end();
            if (staged) {
                try (Statement st = c.createStatement()) {
                    st.execute("analyze placement_in");
                }
            }
            // The mailed rows (from the placements when staged, else every streamed member) and the held-out members
            // of the attempts the resolution recorded, added in one statement so that a household met twice in this
            // run is flagged as well.
            String mailedRows = staged
                    ? "select m.run_id, m.campaign_id, m.namespace, m.identity, m.household_key, p.file_name, p.part,"
                            + " p.cell, false, ?::timestamptz from placement_in p join run_member m"
                            + " on m.attempt_id = p.attempt_id and m.seq = p.seq where m.run_id = ?"
                    : "select run_id, campaign_id, namespace, identity, household_key, null, null::integer, null,"
                            + " false, ?::timestamptz from run_member where run_id = ? and not holdout and attempt_id in "
                            + RECORDED_ATTEMPTS;
            List<Object> params = new ArrayList<>(List.of(at, runId));
            if (!staged) {
                params.addAll(List.of(runId, runId));
            }
            params.addAll(List.of(at, runId, runId, runId));
            lock(c);
            try (Statement st = c.createStatement()) {
                // The flags' hash joins hold the run's keys (about 100 MB a million): in memory rather than in many
                // batches on disk. One recording at a time (the lock), so this is the most it adds to the server.
                st.execute("set local work_mem = '64MB'");
            }
            long[] added = add(
                    c,
                    mailedRows + " union all select run_id, campaign_id, namespace, identity, household_key, null,"
                            + " null::integer, null, true, ?::timestamptz from run_member where run_id = ? and holdout"
                            + " and attempt_id in " + RECORDED_ATTEMPTS,
                    params);
            long mailed = added[0];
            long heldOut = added[1];
            try (Statement st = c.createStatement()) {
                // The rules' plans depend on how many rows are flagged: statistics as of this recording, not of the
                // last autovacuum.
                st.execute("analyze contact_history");
            }
            try (PreparedStatement ps =
                    c.prepareStatement("update recorded_run set mailed = ?, held_out = ? where run_id = ?")) {
                ps.setLong(1, mailed);
                ps.setLong(2, heldOut);
                ps.setObject(3, runId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("delete from run_member where run_id = ?")) {
                ps.setObject(1, runId);
                ps.executeUpdate();
            }
            return Optional.of(new Recorded(campaignId, mailed, heldOut, lines[0], staged));
        }
    }

    /**
     * Adds contacts to the history: {@code rows} selects {@link #COLUMNS} in that order. Each row is flagged
     * {@code repeat_household} / {@code repeat_profile} when its key already has a contact in the history or appears
     * more than once among the rows (see V12): the mail-pressure rules read only flagged rows, so this is the one way
     * rows enter the history. Flags stay exact only if adders do not overlap: take {@link #lock} first in a
     * transaction. Tests add their history through here too.
     *
     * @return the mailed rows and the held-out rows added
     */
    public static long[] add(Connection c, String rows, List<Object> params) throws SQLException {
        // The keys met again are found by hash joins against the history (or by its indexes when the history is much
        // larger than the rows), never row by row; the new rows are read once.
        String sql = "with n as materialized (" + rows + "),"
                + " in_rows_h as (select household_key from n where household_key is not null"
                + " group by household_key having count(*) > 1),"
                + " in_rows_p as (select namespace, identity from n where identity is not null"
                + " group by namespace, identity having count(*) > 1),"
                + " before_h as (select distinct o.household_key from contact_history o"
                + " where o.household_key in (select household_key from n)),"
                + " before_p as (select distinct o.namespace, o.identity from contact_history o"
                + " where (o.namespace, o.identity) in (select namespace, identity from n)),"
                + " added as (insert into contact_history (" + COLUMNS + ", repeat_household, repeat_profile)"
                + " select n.*, n.household_key is not null and (rh.household_key is not null"
                + " or bh.household_key is not null), n.identity is not null and (rp.identity is not null"
                + " or bp.identity is not null) from n"
                + " left join in_rows_h rh on rh.household_key = n.household_key"
                + " left join before_h bh on bh.household_key = n.household_key"
                + " left join in_rows_p rp on rp.namespace = n.namespace and rp.identity = n.identity"
                + " left join before_p bp on bp.namespace = n.namespace and bp.identity = n.identity"
                + " returning holdout)"
                + " select count(*) filter (where not holdout), count(*) filter (where holdout) from added";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int index = 1;
            for (Object p : params) {
                ps.setObject(index++, p);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    /**
     * Serialises the adders of contacts until the caller's transaction ends, so that each sees the contacts the
     * others added (the repeat flags depend on it). Recording runs one at a time costs little: it is off the runs'
     * path.
     */
    public static void lock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
            ps.setLong(1, HISTORY_LOCK);
            ps.executeQuery().close();
        }
    }

    /** One contact of a profile. */
    public record ContactRow(
            UUID runId,
            UUID campaignId,
            String file,
            Integer part,
            String cell,
            boolean holdout,
            Instant contactedAt) {}

    /** A page of a profile's contacts, newest first, and how many it has in all. */
    public record ContactPage(List<ContactRow> items, long total) {}

    public ContactPage profileContacts(String namespace, String identity, int page, int size) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long total;
            try (PreparedStatement ps =
                    c.prepareStatement("select count(*) from contact_history where namespace = ? and identity = ?")) {
                ps.setString(1, namespace);
                ps.setString(2, identity);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<ContactRow> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select run_id, campaign_id, file_name, part, cell, holdout,"
                    + " contacted_at from contact_history where namespace = ? and identity = ?"
                    + " order by contacted_at desc, run_id, file_name, part limit ? offset ?")) {
                ps.setString(1, namespace);
                ps.setString(2, identity);
                ps.setInt(3, size);
                ps.setLong(4, (long) page * size);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(new ContactRow(
                                rs.getObject(1, UUID.class),
                                rs.getObject(2, UUID.class),
                                rs.getString(3),
                                (Integer) rs.getObject(4),
                                rs.getString(5),
                                rs.getBoolean(6),
                                rs.getObject(7, OffsetDateTime.class).toInstant()));
                    }
                }
            }
            return new ContactPage(items, total);
        }
    }

    /** One row of a campaign's history, as exported. Carries PII. */
    public record CampaignContact(
            String namespace,
            String identity,
            String householdKey,
            UUID runId,
            String file,
            Integer part,
            String cell,
            boolean holdout,
            Instant contactedAt) {}

    /** Receives a campaign's contacts one at a time. */
    @FunctionalInterface
    public interface ContactHandler {
        void accept(CampaignContact contact) throws Exception;
    }

    /**
     * Walks a campaign's whole history through a server-side cursor (at most {@code fetchSize} rows in memory),
     * run by run. Must be called outside a JTA transaction: the cursor needs its own non-autocommit connection.
     */
    public void forEachOfCampaign(UUID campaignId, int fetchSize, ContactHandler handler) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "select namespace, identity, household_key, run_id, file_name, part, cell, holdout, contacted_at"
                            + " from contact_history where campaign_id = ? order by run_id",
                    ResultSet.TYPE_FORWARD_ONLY,
                    ResultSet.CONCUR_READ_ONLY)) {
                ps.setFetchSize(fetchSize);
                ps.setObject(1, campaignId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        handler.accept(new CampaignContact(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getObject(4, UUID.class),
                                rs.getString(5),
                                (Integer) rs.getObject(6),
                                rs.getString(7),
                                rs.getBoolean(8),
                                rs.getObject(9, OffsetDateTime.class).toInstant()));
                    }
                }
                c.commit();
            } finally {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // The connection may already be broken; closing it is all that is left.
                }
                c.setAutoCommit(true);
            }
        }
    }
}
