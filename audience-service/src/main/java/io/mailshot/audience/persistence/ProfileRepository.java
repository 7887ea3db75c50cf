package io.mailshot.audience.persistence;

import io.mailshot.audience.service.profile.AddressNormalizer;
import io.mailshot.events.PressureRule;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * JDBC access to table {@code profile}. Deliberately outside JTA: ingestion commits per batch and
 * resolution holds a server-side cursor, both on a connection of their own.
 */
@ApplicationScoped
public class ProfileRepository {

    // When the address key changes, returns of the old key no longer apply (every SET expression reads the row
    // as it was before the update). A first insert leaves it null: every return of that key applies.
    private static final String ADDRESS_SINCE = " address_since = case when profile.address_key is distinct from"
            + " excluded.address_key then excluded.event_time else profile.address_since end";

    // Last write wins by event time: an older update of the same identity leaves the row as it is.
    private static final String UPSERT = "insert into profile (namespace, identity, doc, postal_consent, event_time,"
            + " test_profile, address_key, household_key, keys_version, updated_at)"
            + " values (?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, now())"
            + " on conflict (namespace, identity) do update set doc = excluded.doc,"
            + " postal_consent = excluded.postal_consent, event_time = excluded.event_time,"
            + " test_profile = excluded.test_profile, address_key = excluded.address_key,"
            + " household_key = excluded.household_key, keys_version = excluded.keys_version, updated_at = now(),"
            + ADDRESS_SINCE
            + " where profile.event_time <= excluded.event_time";

    private final DataSource dataSource;

    public ProfileRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A table of the session: a batch is copied into it, then merged into {@code profile} in one statement. */
    private static final String STAGE = "create temp table if not exists profile_in (ord int not null,"
            + " namespace text not null, identity text not null, doc jsonb not null, postal_consent text,"
            + " event_time timestamptz not null, test_profile boolean not null, address_key text,"
            + " household_key text) on commit delete rows";

    private static final String COPY_IN = "copy profile_in (ord, namespace, identity, doc, postal_consent,"
            + " event_time, test_profile, address_key, household_key) from stdin (format binary)";
    // One row per identity: the latest event time, and of equal times the later line, as if the batch's
    // rows had been upserted one after the other.
    private static final String MERGE = "insert into profile (namespace, identity, doc, postal_consent, event_time,"
            + " test_profile, address_key, household_key, keys_version, updated_at)"
            + " select distinct on (namespace, identity) namespace, identity, doc, postal_consent, event_time,"
            + " test_profile, address_key, household_key, ?, now() from profile_in"
            + " order by namespace, identity, event_time desc, ord desc"
            + " on conflict (namespace, identity) do update set doc = excluded.doc,"
            + " postal_consent = excluded.postal_consent, event_time = excluded.event_time,"
            + " test_profile = excluded.test_profile, address_key = excluded.address_key,"
            + " household_key = excluded.household_key, keys_version = excluded.keys_version, updated_at = now(),"
            + ADDRESS_SINCE
            + " where profile.event_time <= excluded.event_time";

    /**
     * Upserts the rows in one transaction: {@code COPY} (binary) into a session table, then one
     * {@code INSERT ... SELECT ... ON CONFLICT} into {@code profile}. That is what PostgreSQL loads fastest, with
     * no SQL text per row and no parameter binding. When PostgreSQL refuses a row's data (e.g. a JSON text it
     * cannot store), the batch is replayed row by row so only the bad rows are lost.
     *
     * @return the indexes of the rows PostgreSQL refused
     * @throws SQLException when the database itself fails (nothing of the batch is then committed
     *         except rows already replayed one by one)
     */
    public List<Integer> upsert(List<ProfileRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return List.of();
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (Statement st = c.createStatement()) {
                    st.execute(STAGE);
                }
                copyIn(c, COPY_IN, CopyBuffer.of(rows, false));
                try (PreparedStatement ps = c.prepareStatement(MERGE)) {
                    ps.setShort(1, (short) AddressNormalizer.VERSION);
                    ps.executeUpdate();
                }
                c.commit();
                return List.of();
            } catch (SQLException e) {
                c.rollback();
                if (!isDataError(e)) {
                    throw e;
                }
                return upsertOneByOne(c, rows);
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** What {@link #insertNew} did. */
    public enum NewRows {
        /** Every row inserted. */
        INSERTED,
        /** Nothing written: an identity of the batch is already stored, or repeats in the batch. */
        KNOWN_IDENTITY,
        /** Nothing written: PostgreSQL refused a value. */
        REFUSED_VALUE
    }

    private static final String COPY_NEW = "copy profile (namespace, identity, doc, postal_consent, event_time,"
            + " test_profile, address_key, household_key, keys_version) from stdin (format binary)";

    /**
     * Inserts the rows with one binary {@code COPY} straight into {@code profile}, the fastest load there is,
     * when none of their identities is stored yet and none repeats in the batch: the first load of a profile
     * store. Having written nothing, says when an identity already exists (or repeats) or a value is refused;
     * the caller then upserts the batch ({@link #upsert}), which handles both.
     */
    public NewRows insertNew(List<ProfileRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return NewRows.INSERTED;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                copyIn(c, COPY_NEW, CopyBuffer.of(rows, true));
                c.commit();
                return NewRows.INSERTED;
            } catch (SQLException e) {
                c.rollback();
                if ("23505".equals(e.getSQLState())) {
                    return NewRows.KNOWN_IDENTITY;
                }
                if (isDataError(e)) {
                    return NewRows.REFUSED_VALUE;
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** Sends the batch with {@code COPY ... FROM STDIN}; an I/O failure is a connection failure. */
    private static void copyIn(Connection c, String sql, CopyBuffer copy) throws SQLException {
        try {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new ByteArrayInputStream(copy.bytes, 0, copy.length));
        } catch (IOException e) {
            throw new SQLException("copy to PostgreSQL failed", "08006", e);
        }
    }

    /**
     * A batch in PostgreSQL's binary {@code COPY} format: a header, then per row a field count and each field
     * as a length and its bytes (-1 for null), then a trailer. Text is UTF-8; jsonb is a version byte (1) and
     * the JSON text; timestamptz is microseconds since 2000-01-01 UTC.
     */
    private static final class CopyBuffer {

        private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
        private static final long PG_EPOCH_SECONDS = 946_684_800L;

        byte[] bytes;
        int length;

        /**
         * @param direct the columns of {@code profile} itself (with {@code keys_version}), rather than those of
         *        the session table (with the row's ordinal)
         */
        static CopyBuffer of(List<ProfileRow> rows, boolean direct) {
            CopyBuffer b = new CopyBuffer();
            b.bytes = new byte[64 * 1024];
            b.raw(SIGNATURE, SIGNATURE.length);
            b.int32(0); // flags
            b.int32(0); // header extension length
            for (int i = 0; i < rows.size(); i++) {
                ProfileRow row = rows.get(i);
                b.int16(9);
                if (!direct) {
                    b.int32(4);
                    b.int32(i);
                }
                b.text(row.namespace());
                b.text(row.identity());
                b.int32(row.doc().length + 1);
                b.ensure(1);
                b.bytes[b.length++] = 1; // jsonb binary format version
                b.raw(row.doc(), row.doc().length);
                b.text(row.postalConsent());
                b.int32(8);
                // Rounded to the microsecond, as PostgreSQL rounds a timestamp given as text.
                b.int64((row.eventTime().getEpochSecond() - PG_EPOCH_SECONDS) * 1_000_000L
                        + (row.eventTime().getNano() + 500) / 1000);
                b.int32(1);
                b.ensure(1);
                b.bytes[b.length++] = (byte) (row.testProfile() ? 1 : 0);
                b.text(row.addressKey());
                b.text(row.householdKey());
                if (direct) {
                    b.int32(2);
                    b.int16(AddressNormalizer.VERSION);
                }
            }
            b.int16(-1);
            return b;
        }

        private void text(String value) {
            if (value == null) {
                int32(-1);
                return;
            }
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            int32(utf8.length);
            raw(utf8, utf8.length);
        }

        private void raw(byte[] source, int count) {
            ensure(count);
            System.arraycopy(source, 0, bytes, length, count);
            length += count;
        }

        private void int16(int v) {
            ensure(2);
            bytes[length++] = (byte) (v >>> 8);
            bytes[length++] = (byte) v;
        }

        private void int32(int v) {
            ensure(4);
            for (int shift = 24; shift >= 0; shift -= 8) {
                bytes[length++] = (byte) (v >>> shift);
            }
        }

        private void int64(long v) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes[length++] = (byte) (v >>> shift);
            }
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }

    private static List<Integer> upsertOneByOne(Connection c, List<ProfileRow> rows) throws SQLException {
        List<Integer> refused = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            for (int i = 0; i < rows.size(); i++) {
                try {
                    bind(ps, rows.get(i));
                    ps.executeUpdate();
                    c.commit();
                } catch (SQLException e) {
                    c.rollback();
                    if (!isDataError(e)) {
                        throw e;
                    }
                    refused.add(i);
                }
            }
        }
        return refused;
    }

    /** SQLSTATE class 22 (data exception): the row is at fault, not the database. */
    private static boolean isDataError(SQLException e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < 10; depth++) {
            if (t instanceof SQLException s) {
                if (s.getSQLState() != null && s.getSQLState().startsWith("22")) {
                    return true;
                }
                t = s.getNextException() != null ? s.getNextException() : s.getCause();
            } else {
                t = t.getCause();
            }
        }
        return false;
    }

    private static void bind(PreparedStatement ps, ProfileRow row) throws SQLException {
        ps.setString(1, row.namespace());
        ps.setString(2, row.identity());
        ps.setString(3, new String(row.doc(), StandardCharsets.UTF_8));
        ps.setString(4, row.postalConsent());
        ps.setTimestamp(5, Timestamp.from(row.eventTime()));
        ps.setBoolean(6, row.testProfile());
        ps.setString(7, row.addressKey());
        ps.setString(8, row.householdKey());
        ps.setShort(9, (short) AddressNormalizer.VERSION);
    }

    /** A stored profile whose dedup keys predate the current normalisation rules. */
    public record StaleKeys(long id, String doc, Timestamp updatedAt) {}

    /** Up to {@code limit} profiles after {@code afterId} whose keys are missing or from older rules. */
    public List<StaleKeys> staleKeys(long afterId, int version, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select id, doc::text, updated_at from profile"
                        + " where id > ? and keys_version is distinct from ? order by id limit ?")) {
            ps.setLong(1, afterId);
            ps.setShort(2, (short) version);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                List<StaleKeys> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(new StaleKeys(rs.getLong(1), rs.getString(2), rs.getTimestamp(3)));
                }
                return rows;
            }
        }
    }

    /**
     * Stores recomputed keys; a row updated since it was read is left alone (its upsert already wrote keys
     * for the new document).
     *
     * @param keys per row: address key, household key (either may be null)
     */
    public void updateKeys(List<StaleKeys> rows, List<String[]> keys, int version) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("update profile set address_key = ?, household_key = ?,"
                        + " keys_version = ? where id = ? and updated_at = ?")) {
            for (int i = 0; i < rows.size(); i++) {
                ps.setString(1, keys.get(i)[0]);
                ps.setString(2, keys.get(i)[1]);
                ps.setShort(3, (short) version);
                ps.setLong(4, rows.get(i).id());
                ps.setTimestamp(5, rows.get(i).updatedAt());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The stored profile document as JSON text. */
    public Optional<String> findDocument(String namespace, String identity) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("select doc::text from profile where namespace = ? and identity = ?")) {
            ps.setString(1, namespace);
            ps.setString(2, identity);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** How many non-test profiles the filter matches. */
    public long count(CompiledFilter filter) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "select count(*) from profile where test_profile = false and " + filter.sql())) {
            filter.bind(c, ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Whether any returned mail is stored: without any, resolution leaves the join out. */
    private static boolean anyReturned(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select exists (select 1 from returned_mail)")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** What {@link #pressureCheck} counted. */
    public record PressureCounts(long eligible, long stopped, long[] perRule) {}

    /**
     * Counts, with the same joins as a run, the non-test profiles the filter matches that reach the pressure step
     * when no suppression list applies (consented, with a usable address whose key is not returned), how many of
     * them any rule stops and how many each rule alone stops. One aggregate query; nothing is held per profile.
     */
    public PressureCounts pressureCheck(CompiledFilter filter, List<PressureRule> rules, UUID campaignId)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            WindowJoins joins = WindowJoins.of(anyReturned(c), rules, campaignId);
            StringBuilder sql = new StringBuilder("select count(*), count(*) filter (where ")
                    .append(joins.anyRule() == null ? "false" : joins.anyRule())
                    .append(')');
            for (String rule : joins.rules) {
                sql.append(", count(*) filter (where ").append(rule).append(')');
            }
            sql.append(" from profile")
                    .append(joins.sql)
                    .append(" where test_profile = false and postal_consent is distinct from 'n'")
                    .append(" and address_key is not null and ")
                    .append(filter.sql());
            if (joins.returned != null) {
                sql.append(" and not coalesce(").append(joins.returned).append(", false)");
            }
            c.setAutoCommit(false);
            try {
                if (!joins.sql.isEmpty()) {
                    try (Statement planner = c.createStatement()) {
                        planner.execute(WindowJoins.PLANNER);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                    int index = 1;
                    for (Object p : joins.params) {
                        CompiledFilter.bindOne(c, ps, index++, p);
                    }
                    filter.bind(c, ps, index);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        long[] perRule = new long[rules.size()];
                        for (int i = 0; i < perRule.length; i++) {
                            perRule[i] = rs.getLong(3 + i);
                        }
                        return new PressureCounts(rs.getLong(1), rs.getLong(2), perRule);
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    /** Receives matched profiles one at a time. */
    @FunctionalInterface
    public interface RowHandler {
        void accept(MatchedProfile profile) throws Exception;
    }

    /**
     * Walks every non-test profile the filter matches through a server-side cursor: at most
     * {@code fetchSize} rows are in memory whatever the audience size. Each row carries its first database
     * exclusion (consent, then address, then suppression, then returned mail, then mail pressure) and its dedup key. Without dedup rows come in
     * storage order (insertion order for profiles never updated); with dedup they come ordered by dedup key
     * then (namespace, identity) in byte order, so the caller drops duplicates by comparing each eligible row's
     * key with the previous eligible key, and the lowest identity of a group is the one kept. PostgreSQL does
     * the sort (spilling to disk when large).
     * Must be called outside a JTA transaction (the cursor needs its own non-autocommit connection).
     *
     * @param fields attribute paths to project, each bound as a {@code text[]} parameter
     */
    public void forEachMatching(
            CompiledFilter filter, List<String> fields, Exclusions exclusions, int fetchSize, RowHandler handler)
            throws Exception {
        forEachMatching(filter, fields, exclusions, 0, 1, fetchSize, handler);
    }

    /**
     * The same walk restricted to one slice of the run: profiles whose dedup key (or row id without dedup)
     * hashes to {@code slice} modulo {@code slices}. Duplicates share their dedup key, so a duplicate group
     * always falls into one slice and dedup stays exact; every profile falls into exactly one slice.
     */
    public void forEachMatching(
            CompiledFilter filter,
            List<String> fields,
            Exclusions exclusions,
            int slice,
            int slices,
            int fetchSize,
            RowHandler handler)
            throws Exception {
        List<Object> params = new ArrayList<>();
        boolean anyReturned;
        try (Connection c = dataSource.getConnection()) {
            anyReturned = anyReturned(c);
        }
        WindowJoins joins = WindowJoins.of(anyReturned, exclusions.pressureRules(), exclusions.campaignId());
        StringBuilder sql = new StringBuilder("select namespace, identity, case when postal_consent = 'n' then 1"
                + " when address_key is null then 2");
        if (!exclusions.suppressionListIds().isEmpty()) {
            String[] lists =
                    exclusions.suppressionListIds().stream().map(UUID::toString).toArray(String[]::new);
            sql.append(" when exists (select 1 from suppression_entry s where s.kind = 'identity'"
                    + " and s.match_key = profile.namespace || chr(31) || profile.identity and s.list_id = any (?::uuid[]))"
                    + " or exists (select 1 from jsonb_each_text(case when jsonb_typeof(profile.doc -> 'identities')"
                    + " = 'object' then profile.doc -> 'identities' else '{}'::jsonb end) i join suppression_entry s"
                    + " on s.kind = 'identity' and s.match_key = i.key || chr(31) || i.value"
                    + " where s.list_id = any (?::uuid[]))"
                    + " or exists (select 1 from suppression_entry s where s.kind = 'address'"
                    + " and s.match_key = profile.address_key and s.list_id = any (?::uuid[]))"
                    + " or exists (select 1 from suppression_entry s where s.kind = 'household'"
                    + " and s.match_key = profile.household_key and s.list_id = any (?::uuid[])) then 3");
            for (int i = 0; i < 4; i++) {
                params.add(lists);
            }
        }
        if (joins.returned != null) {
            sql.append(" when ").append(joins.returned).append(" then 4");
        }
        if (joins.anyRule() != null) {
            sql.append(" when ").append(joins.anyRule()).append(" then 5");
        }
        sql.append(" else 0 end as reason, ");
        List<Object> dedupParams = new ArrayList<>();
        String dedupKey = switch (exclusions.dedup()) {
            case NONE -> "null::text";
            case IDENTITY -> {
                if (exclusions.identityNamespace() == null) {
                    yield "(namespace || chr(31) || identity)";
                }
                dedupParams.add(exclusions.identityNamespace());
                dedupParams.add(exclusions.identityNamespace());
                yield "lower(btrim(case when namespace = ? then identity else profile.doc -> 'identities' ->> ? end))";
            }
            case ADDRESS -> "address_key";
            case HOUSEHOLD -> "household_key";
        };
        sql.append(dedupKey).append(" collate \"C\" as dedup_key");
        sql.append(", household_key");
        params.addAll(dedupParams);
        for (int i = 0; i < fields.size(); i++) {
            sql.append(", doc #>> ?::text[] as f").append(i);
            params.add(AttributePath.segments(fields.get(i)));
        }
        sql.append(" from profile").append(joins.sql);
        params.addAll(joins.params);
        sql.append(" where test_profile = false and ").append(filter.sql());
        params.addAll(filter.params());
        if (slices > 1) {
            // A row without a dedup key (no dedup, or an excluded row with no address) is sliced by its id.
            sql.append(" and abs(hashtext(coalesce(").append(dedupKey).append(", id::text)) % ?) = ?");
            params.addAll(dedupParams);
            params.add(slices);
            params.add(slice);
        }
        if (exclusions.dedup() != DedupLevel.NONE) {
            sql.append(" order by dedup_key, namespace collate \"C\", identity collate \"C\"");
        }
        try (Connection c = dataSource.getConnection()) {
            // PostgreSQL only streams with a fetch size inside a transaction; otherwise it loads every row.
            c.setAutoCommit(false);
            if (exclusions.dedup() == DedupLevel.NONE) {
                // Without dedup no order is asked for: the rows come as the table stores them, from its first
                // page, and the first row comes at once. Ordering by id walked the primary key's index (a
                // quarter of the database's CPU for a run) or waited for a sort of the whole audience. Never
                // joining a scan already under way keeps that order the same from one run to the next.
                try (Statement planner = c.createStatement()) {
                    planner.execute("set local synchronize_seqscans = off");
                }
            }
            if (!joins.sql.isEmpty()) {
                try (Statement planner = c.createStatement()) {
                    planner.execute(WindowJoins.PLANNER);
                }
            }
            try (PreparedStatement ps =
                    c.prepareStatement(sql.toString(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                ps.setFetchSize(fetchSize);
                int index = 1;
                for (Object p : params) {
                    CompiledFilter.bindOne(c, ps, index++, p);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        // A text column's bytes as sent, in the connection's encoding (always UTF-8 for
                        // this driver): decoding each value to a String was a fifth of the stream's CPU.
                        byte[][] values = new byte[fields.size()][];
                        for (int i = 0; i < values.length; i++) {
                            values[i] = rs.getBytes(6 + i);
                        }
                        handler.accept(new MatchedProfile(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getInt(3),
                                rs.getString(4),
                                rs.getString(5),
                                values));
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
