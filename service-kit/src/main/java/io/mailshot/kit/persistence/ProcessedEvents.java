package io.mailshot.kit.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The processed-event log that makes consumers idempotent: an event id is recorded in the same
 * transaction as the work it caused, so a redelivered event is recognised and skipped.
 *
 * <p>Table {@code processed_event (consumer text, event_id text, processed_at timestamptz)}, primary key
 * {@code (consumer, event_id)}.
 */
@ApplicationScoped
public class ProcessedEvents {

    private final DataSource dataSource;

    public ProcessedEvents(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records the event; returns false when this consumer has already processed it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstTime(String consumer, String eventId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement("insert into processed_event (consumer, event_id,"
                        + " processed_at) values (?, ?, now()) on conflict do nothing")) {
            insert.setString(1, consumer);
            insert.setString(2, eventId);
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("could not record processed event", e);
        }
    }
}
