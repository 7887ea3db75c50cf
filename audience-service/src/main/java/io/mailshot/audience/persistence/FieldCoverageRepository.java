package io.mailshot.audience.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The two questions a campaign asks about attribute paths before it runs: does any stored profile have
 * the path at all, and how often is it filled in a sample of an audience. Every statement runs under a
 * {@code statement_timeout}, so a huge store answers "undecided" instead of hanging. Paths and filter
 * values are bind parameters only; the SQL text is built from fixed fragments.
 */
@ApplicationScoped
public class FieldCoverageRepository {

    /** PostgreSQL's SQLSTATE for a statement cancelled by {@code statement_timeout}. */
    private static final String QUERY_CANCELED = "57014";

    // Key presence, JSON null included: "some profile has this path". Test profiles count, they are profiles.
    private static final String EXISTS = "select exists (select 1 from profile where doc #> ?::text[] is not null)";

    private final DataSource dataSource;

    public FieldCoverageRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** How many sampled profiles there were, and per path how many had a non-blank value. */
    public record Sample(long sampled, List<Long> filled) {}

    /**
     * Whether at least one stored profile has the path; empty when the database could not decide within
     * {@code timeout} (the existence scan of a path no profile has reads the whole table).
     */
    public Optional<Boolean> anyProfileHas(String path, Duration timeout) throws SQLException {
        return withTimeout(timeout, c -> {
            try (PreparedStatement ps = c.prepareStatement(EXISTS)) {
                ps.setArray(1, c.createArrayOf("text", AttributePath.segments(path)));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        });
    }

    /**
     * Reads up to {@code size} non-test profiles of the audience (the first the database finds, not a
     * random draw: a random draw would read the whole audience) and counts, per path, those whose value is
     * present and not blank. Empty when the database could not finish within {@code timeout}.
     */
    public Optional<Sample> sample(CompiledFilter filter, List<String> paths, int size, Duration timeout)
            throws SQLException {
        StringBuilder sql = new StringBuilder("select count(*)");
        for (int i = 0; i < paths.size(); i++) {
            sql.append(", count(nullif(btrim(s.doc #>> ?::text[]), ''))");
        }
        sql.append(" from (select doc from profile where test_profile = false and ")
                .append(filter.sql())
                .append(" limit ?) s");
        return withTimeout(timeout, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int index = 1;
                for (String path : paths) {
                    ps.setArray(index++, c.createArrayOf("text", AttributePath.segments(path)));
                }
                index = filter.bind(c, ps, index);
                ps.setInt(index, size);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    List<Long> filled = new ArrayList<>();
                    for (int i = 0; i < paths.size(); i++) {
                        filled.add(rs.getLong(2 + i));
                    }
                    return new Sample(rs.getLong(1), filled);
                }
            }
        });
    }

    private interface Query<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Whether the audience's filter matches at least one non-test profile; empty when the database could not
     * tell within {@code timeout}. Stops at the first match, so a non-empty audience answers at once whatever
     * the store's size; only an empty one over a huge store can run out of time.
     */
    public Optional<Boolean> matchesAny(CompiledFilter filter, Duration timeout) throws SQLException {
        return withTimeout(timeout, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select exists (select 1 from profile where test_profile = false and " + filter.sql() + ")")) {
                filter.bind(c, ps, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        });
    }

    /** Runs one read in its own transaction with a local statement timeout; empty when it ran out. */
    private <T> Optional<T> withTimeout(Duration timeout, Query<T> query) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                // set_config(..., true) is SET LOCAL with a bind parameter: gone at the end of the transaction.
                try (PreparedStatement ps = c.prepareStatement("select set_config('statement_timeout', ?, true)")) {
                    ps.setString(1, Math.max(1, timeout.toMillis()) + "ms");
                    ps.execute();
                }
                return Optional.of(query.run(c));
            } catch (SQLException e) {
                if (QUERY_CANCELED.equals(e.getSQLState())) {
                    return Optional.empty();
                }
                throw e;
            } finally {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // The connection may be broken; closing it is all that is left.
                }
                c.setAutoCommit(true);
            }
        }
    }
}
