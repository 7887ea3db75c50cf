package io.mailshot.audience.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** JDBC access to table {@code audience}. Joins the caller's JTA transaction when there is one. */
@ApplicationScoped
public class AudienceRepository {

    private static final String COLUMNS = "select id, name, filter::text, created_at from audience";

    private final DataSource dataSource;

    public AudienceRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Inserts the audience; returns false when the name is already taken. */
    public boolean insert(AudienceRecord audience) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into audience (id, name, filter, created_at)"
                        + " values (?, ?, ?::jsonb, ?) on conflict (name) do nothing")) {
            ps.setObject(1, audience.id());
            ps.setString(2, audience.name());
            ps.setString(3, audience.filterJson());
            ps.setTimestamp(4, Timestamp.from(audience.createdAt()));
            return ps.executeUpdate() == 1;
        }
    }

    public Optional<AudienceRecord> find(UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(COLUMNS + " where id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** Every audience, oldest first. */
    public List<AudienceRecord> list() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(COLUMNS + " order by created_at, name");
                ResultSet rs = ps.executeQuery()) {
            List<AudienceRecord> all = new ArrayList<>();
            while (rs.next()) {
                all.add(read(rs));
            }
            return all;
        }
    }

    private static AudienceRecord read(ResultSet rs) throws SQLException {
        return new AudienceRecord(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getString(3),
                rs.getTimestamp(4).toInstant());
    }
}
