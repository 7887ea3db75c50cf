package io.mailshot.audience.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** JDBC access to table {@code returned_mail}: address keys a provider reported undeliverable. Outside JTA. */
@ApplicationScoped
public class ReturnedMailRepository {

    /** One return of one address key. */
    public record Return(String addressKey, LocalDate returnDate, String reasonCode) {}

    /** A profile's identity, as a return line names it. */
    public record Identity(String namespace, String id) {}

    private final DataSource dataSource;

    public ReturnedMailRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The current address key of each named profile that exists: absent from the map when no such profile exists,
     * mapped to null when it has no usable address. One query for the whole batch.
     */
    public Map<Identity, String> currentAddressKeys(List<Identity> identities) throws SQLException {
        Map<Identity, String> keys = new HashMap<>();
        if (identities.isEmpty()) {
            return keys;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select p.namespace, p.identity, p.address_key from profile p"
                        + " join unnest(?::text[], ?::text[]) as n(namespace, identity)"
                        + " on p.namespace = n.namespace and p.identity = n.identity")) {
            ps.setArray(
                    1,
                    c.createArrayOf(
                            "text", identities.stream().map(Identity::namespace).toArray()));
            ps.setArray(
                    2,
                    c.createArrayOf(
                            "text", identities.stream().map(Identity::id).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.put(new Identity(rs.getString(1), rs.getString(2)), rs.getString(3));
                }
            }
        }
        return keys;
    }

    /** Stores the returns in one transaction; one already stored (same key, date and reason) is left as it is. */
    public void add(List<Return> returns) throws SQLException {
        if (returns.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("insert into returned_mail (address_key, return_date,"
                    + " reason_code, received_at) values (?, ?, ?, now()) on conflict do nothing")) {
                for (Return r : returns) {
                    ps.setString(1, r.addressKey());
                    ps.setObject(2, r.returnDate());
                    ps.setString(3, r.reasonCode());
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
}
