package io.mailshot.kit.persistence;

import io.mailshot.events.EventType;
import io.mailshot.events.RunCancelled;
import io.mailshot.kit.messaging.IncomingEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Which runs were cancelled, for the services that must stop work on them. Kept in the service's
 * {@code cancelled_run (run_id uuid primary key, cancelled_at timestamptz)} table, so a restart still
 * knows, and in memory, because a busy loop asks often.
 */
@ApplicationScoped
public class CancelledRuns {

    private final DataSource dataSource;
    private final Set<UUID> cancelled = ConcurrentHashMap.newKeySet();

    public CancelledRuns(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records the run of a {@code RunCancelled} read from {@code mailshot.run-cancellations}; ignores other types. */
    public void record(IncomingEvent event) {
        if (event.type() == EventType.RUN_CANCELLED) {
            cancel(event.data(RunCancelled.class).runId());
        }
    }

    @Transactional
    public void cancel(UUID runId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement(
                        "insert into cancelled_run (run_id, cancelled_at) values (?, now()) on conflict do nothing")) {
            insert.setObject(1, runId);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not record the cancellation of run " + runId, e);
        }
        cancelled.add(runId);
    }

    /** Cheap while streaming: the memory set, filled by the cancellation consumer. */
    public boolean isCancelledNow(UUID runId) {
        return cancelled.contains(runId);
    }

    /** Authoritative, before a run starts: also sees cancellations recorded before a restart. */
    @Transactional
    public boolean isCancelled(UUID runId) {
        if (cancelled.contains(runId)) {
            return true;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("select 1 from cancelled_run where run_id = ?")) {
            select.setObject(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                if (rs.next()) {
                    cancelled.add(runId);
                    return true;
                }
                return false;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read cancellations", e);
        }
    }
}
