package io.mailshot.audience.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * JDBC access to table {@code profile}. Deliberately outside JTA: ingestion commits per batch and
 * resolution holds a server-side cursor, both on a connection of their own.
 */
@ApplicationScoped
public class ProfileRepository {

    // Last write wins by event time: an older update of the same identity leaves the row as it is.
    private static final String UPSERT = "insert into profile (namespace, identity, doc, postal_consent, event_time,"
            + " test_profile, updated_at) values (?, ?, ?::jsonb, ?, ?, ?, now())"
            + " on conflict (namespace, identity) do update set doc = excluded.doc,"
            + " postal_consent = excluded.postal_consent, event_time = excluded.event_time,"
            + " test_profile = excluded.test_profile, updated_at = now()"
            + " where profile.event_time <= excluded.event_time";

    private final DataSource dataSource;

    public ProfileRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Upserts the rows in one transaction. When PostgreSQL refuses a row's data (e.g. a JSON text it
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
                try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
                    for (ProfileRow row : rows) {
                        bind(ps, row);
                        ps.addBatch();
                    }
                    ps.executeBatch();
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
        ps.setString(3, row.doc());
        ps.setString(4, row.postalConsent());
        ps.setTimestamp(5, Timestamp.from(row.eventTime()));
        ps.setBoolean(6, row.testProfile());
    }

    /** The stored profile document as JSON text. */
    public Optional<String> findDocument(String namespace, String identity) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "select doc::text from profile where namespace = ? and identity = ?")) {
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

    /** Receives matched profiles one at a time. */
    @FunctionalInterface
    public interface RowHandler {
        void accept(MatchedProfile profile) throws Exception;
    }

    /**
     * Walks every non-test profile the filter matches, in insertion order, through a server-side cursor:
     * at most {@code fetchSize} rows are in memory whatever the audience size. Must be called outside a
     * JTA transaction (the cursor needs its own non-autocommit connection).
     *
     * @param fields attribute paths to project, each bound as a {@code text[]} parameter
     */
    public void forEachMatching(CompiledFilter filter, List<String> fields, int fetchSize, RowHandler handler)
            throws Exception {
        StringBuilder sql = new StringBuilder("select namespace, identity, postal_consent");
        for (int i = 0; i < fields.size(); i++) {
            sql.append(", doc #>> ?::text[] as f").append(i);
        }
        sql.append(" from profile where test_profile = false and ").append(filter.sql()).append(" order by id");
        try (Connection c = dataSource.getConnection()) {
            // PostgreSQL only streams with a fetch size inside a transaction; otherwise it loads every row.
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql.toString(), ResultSet.TYPE_FORWARD_ONLY,
                    ResultSet.CONCUR_READ_ONLY)) {
                ps.setFetchSize(fetchSize);
                int index = 1;
                for (String field : fields) {
                    CompiledFilter.bindOne(c, ps, index++, AttributePath.segments(field));
                }
                filter.bind(c, ps, index);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String[] values = new String[fields.size()];
                        for (int i = 0; i < values.length; i++) {
                            values[i] = rs.getString(4 + i);
                        }
                        handler.accept(new MatchedProfile(rs.getString(1), rs.getString(2), rs.getString(3),
                                Arrays.asList(values)));
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
