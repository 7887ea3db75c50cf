package io.mailshot.kit.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * How many times a stage has started one run's work, and why the last try failed. Kept in the database, so
 * the count survives a crash: a run whose work kills the process (a crash loop on its data) runs out of
 * tries like any other failing run, instead of wedging the stage.
 *
 * <p>Table {@code run_try (stage text, run_id uuid, tries int, last_error text, updated_at timestamptz)},
 * primary key {@code (stage, run_id)}. Each call is its own transaction: a try counts even when the work's
 * own transaction rolls back.
 */
@ApplicationScoped
public class RunTries {

    private final DataSource dataSource;

    public RunTries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Counts one more try of the run's work at this stage and returns how many there have been. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int begin(String stage, UUID runId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement upsert = c.prepareStatement("insert into run_try (stage, run_id, tries, updated_at)"
                        + " values (?, ?, 1, now()) on conflict (stage, run_id) do update"
                        + " set tries = run_try.tries + 1, updated_at = now() returning tries")) {
            upsert.setString(1, stage);
            upsert.setObject(2, runId);
            try (ResultSet rs = upsert.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not count a try of run " + runId, e);
        }
    }

    /** Records why the run's latest try failed. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void failed(String stage, UUID runId, String reason) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement upsert = c.prepareStatement("insert into run_try (stage, run_id, tries, last_error,"
                        + " updated_at) values (?, ?, 1, ?, now()) on conflict (stage, run_id) do update"
                        + " set last_error = excluded.last_error, updated_at = now()")) {
            upsert.setString(1, stage);
            upsert.setObject(2, runId);
            upsert.setString(3, reason);
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not record the failure of run " + runId, e);
        }
    }

    /** Why the run's latest try failed, if one did. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<String> lastError(String stage, UUID runId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select =
                        c.prepareStatement("select last_error from run_try where stage = ? and run_id = ?")) {
            select.setString(1, stage);
            select.setObject(2, runId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the tries of run " + runId, e);
        }
    }
}
