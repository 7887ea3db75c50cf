package io.mailshot.kit.persistence;

import io.mailshot.events.EventType;
import io.mailshot.kit.messaging.EventCodec;
import io.mailshot.kit.messaging.EventTracing;
import io.mailshot.kit.messaging.TraceHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The transactional outbox: an event is written in the same database transaction as the state it
 * describes, and the {@link OutboxRelay} publishes it afterwards. Never persist-then-send.
 *
 * <p>Table {@code outbox} (each service's Flyway migration creates it):
 * {@code seq bigserial, id uuid, topic, record_key, type, payload text, created_at, traceparent, tracestate}. The
 * last two keep the trace context current when the row was written, which the relay puts on the record it sends
 * later from its own thread (see {@link EventTracing}).
 */
@ApplicationScoped
public class Outbox {

    private final DataSource dataSource;
    private final EventCodec codec;
    private final OutboxRelay relay;
    private final TransactionSynchronizationRegistry transactions;

    public Outbox(
            DataSource dataSource,
            EventCodec codec,
            OutboxRelay relay,
            TransactionSynchronizationRegistry transactions) {
        this.dataSource = dataSource;
        this.codec = codec;
        this.relay = relay;
        this.transactions = transactions;
    }

    /**
     * Adds the event to the current transaction's outbox and returns its event id. The relay is woken when
     * the transaction commits, so the event leaves within milliseconds rather than at the next poll.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID append(String topic, String key, Record data) {
        UUID id = UUID.randomUUID();
        TraceHeaders trace = EventTracing.current();
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement("insert into outbox"
                        + " (id, topic, record_key, type, payload, created_at, traceparent, tracestate)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, id);
            insert.setString(2, topic);
            insert.setString(3, key);
            insert.setString(4, EventType.of(data.getClass()).type());
            insert.setString(5, codec.toJson(data));
            insert.setTimestamp(6, Timestamp.from(Instant.now()));
            insert.setString(7, trace.traceparent());
            insert.setString(8, trace.tracestate());
            insert.executeUpdate();
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {}

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        relay.wake();
                    }
                }
            });
            return id;
        } catch (SQLException e) {
            throw new IllegalStateException("could not write to the outbox", e);
        }
    }
}
