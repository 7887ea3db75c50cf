package io.mailshot.audience.persistence;

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

/** JDBC access to tables {@code suppression_list} and {@code suppression_entry}. */
@ApplicationScoped
public class SuppressionRepository {

    private static final String COLUMNS = "select l.id, l.name, l.reason, l.created_at,"
            + " (select count(*) from suppression_entry e where e.list_id = l.id) from suppression_list l";

    private final DataSource dataSource;

    public SuppressionRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A stored list and how many entries it has. */
    public record ListRecord(UUID id, String name, String reason, Instant createdAt, long entries) {}

    /** One entry: kind is identity, address or household; matchKey as described in the V2 migration. */
    public record Entry(String kind, String matchKey) {}

    /** Inserts the list; false when the name is taken. */
    public boolean insert(UUID id, String name, String reason, Instant createdAt) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into suppression_list (id, name, reason, created_at)"
                        + " values (?, ?, ?, ?) on conflict (name) do nothing")) {
            ps.setObject(1, id);
            ps.setString(2, name);
            ps.setString(3, reason);
            ps.setTimestamp(4, Timestamp.from(createdAt));
            return ps.executeUpdate() == 1;
        }
    }

    public boolean exists(UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select 1 from suppression_list where id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public Optional<ListRecord> find(UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(COLUMNS + " where l.id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    public List<ListRecord> list() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(COLUMNS + " order by l.created_at, l.name");
                ResultSet rs = ps.executeQuery()) {
            List<ListRecord> all = new ArrayList<>();
            while (rs.next()) {
                all.add(read(rs));
            }
            return all;
        }
    }

    /** Adds the entries in one transaction; an entry already on the list is left as it is (idempotent). */
    public void add(UUID listId, List<Entry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("insert into suppression_entry (list_id, kind, match_key)"
                    + " values (?, ?, ?) on conflict do nothing")) {
                for (Entry e : entries) {
                    ps.setObject(1, listId);
                    ps.setString(2, e.kind());
                    ps.setString(3, e.matchKey());
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static ListRecord read(ResultSet rs) throws SQLException {
        return new ListRecord(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getString(3),
                rs.getTimestamp(4).toInstant(),
                rs.getLong(5));
    }
}
