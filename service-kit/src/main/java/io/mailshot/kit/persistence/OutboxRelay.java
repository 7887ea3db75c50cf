package io.mailshot.kit.persistence;

import io.mailshot.kit.lifecycle.PollingLoop;
import io.mailshot.kit.messaging.EventCodec;
import io.mailshot.kit.messaging.TraceHeaders;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Publishes outbox rows to Kafka, oldest first, and deletes them once the broker acknowledged them.
 *
 * <p>At-least-once by design: a crash between the ack and the delete republishes the same event id,
 * which consumers drop through their processed-event log. {@code FOR UPDATE SKIP LOCKED} lets several
 * replicas relay in parallel without sending a row twice in normal operation.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final int BATCH = 500;

    private final DataSource dataSource;
    private final Producer<String, String> producer;
    private final EventCodec codec;
    private final String source;
    private final Duration pollInterval;
    private volatile PollingLoop loop;

    @Inject
    OutboxRelay self;

    public OutboxRelay(
            DataSource dataSource,
            Producer<String, String> producer,
            EventCodec codec,
            @ConfigProperty(name = "quarkus.application.name") String source,
            @ConfigProperty(name = "mailshot.outbox.poll-interval", defaultValue = "100ms") Duration pollInterval) {
        this.dataSource = dataSource;
        this.producer = producer;
        this.codec = codec;
        this.source = "/mailshot/" + source;
        this.pollInterval = pollInterval;
    }

    /**
     * A dedicated polling thread rather than a scheduled job: an idle poll is one indexed query, and a
     * short interval keeps each hop of a run well under a second (the scheduler's minimum is 1 s).
     */
    void start(@Observes StartupEvent event) {
        loop = new PollingLoop("outbox-relay", pollInterval, () -> self.relayBatch() == BATCH);
        loop.start();
    }

    /** Relays at once instead of at the next poll: called when a transaction that wrote to the outbox commits. */
    public void wake() {
        PollingLoop current = loop;
        if (current != null) {
            current.wake();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.stop();
        }
    }

    /** Sends one batch; returns how many rows it published. */
    @Transactional
    public int relayBatch() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "select seq, id, topic, record_key, type, payload, created_at, traceparent, tracestate from outbox"
                                + " order by seq limit ? for update skip locked")) {
            select.setInt(1, BATCH);
            List<Long> sent = new ArrayList<>();
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    sent.add(rs.getLong("seq"));
                    acks.add(producer.send(codec.encode(
                            rs.getString("topic"),
                            rs.getString("record_key"),
                            rs.getString("id"),
                            rs.getString("type"),
                            source,
                            rs.getTimestamp("created_at").toInstant(),
                            rs.getString("payload"),
                            // The writer's trace, not this thread's (which has none).
                            new TraceHeaders(rs.getString("traceparent"), rs.getString("tracestate")))));
                }
            }
            if (sent.isEmpty()) {
                return 0;
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
            try (PreparedStatement delete = c.prepareStatement("delete from outbox where seq = any (?)")) {
                delete.setArray(1, c.createArrayOf("bigint", sent.toArray()));
                delete.executeUpdate();
            }
            return sent.size();
        } catch (SQLException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("outbox relay failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
