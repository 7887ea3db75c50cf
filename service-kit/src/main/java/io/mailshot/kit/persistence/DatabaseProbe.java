package io.mailshot.kit.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Whether the service's own database answers. Tells a failure of one piece of work (the database is fine, so the
 * work is at fault and has a bounded number of tries) from an outage (the work waits, and spends none of them).
 */
@ApplicationScoped
public class DatabaseProbe {

    private final DataSource dataSource;

    public DatabaseProbe(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public boolean reachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(5);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }
}
