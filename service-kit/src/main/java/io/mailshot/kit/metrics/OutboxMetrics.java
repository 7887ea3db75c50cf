package io.mailshot.kit.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The outbox's backlog and the age of its oldest unpublished row as gauges. One query reads both, at most once per
 * {@code mailshot.metrics.outbox-refresh} (5 s by default) however often Prometheus scrapes, so a storm of scrapes
 * costs the database nothing more; a failed query keeps the last values rather than failing the scrape.
 */
@ApplicationScoped
public class OutboxMetrics {

    private static final Logger LOG = Logger.getLogger(OutboxMetrics.class);

    private final DataSource dataSource;
    private final MeterRegistry registry;
    private final long refreshNanos;

    private long sampledAt;
    private boolean sampled;
    private long backlog;
    private Instant oldest;

    public OutboxMetrics(
            DataSource dataSource,
            MeterRegistry registry,
            @ConfigProperty(name = "mailshot.metrics.outbox-refresh", defaultValue = "5s") Duration refresh) {
        this.dataSource = dataSource;
        this.registry = registry;
        this.refreshNanos = refresh.toNanos();
    }

    void register(@Observes StartupEvent event) {
        Gauge.builder(Metrics.OUTBOX_BACKLOG, this, OutboxMetrics::backlog)
                .description("Outbox rows not yet published to Kafka")
                .register(registry);
        Gauge.builder(Metrics.OUTBOX_OLDEST_AGE, this, OutboxMetrics::oldestAgeSeconds)
                .description("Age of the oldest unpublished outbox row; 0 when the outbox is empty")
                .baseUnit("seconds")
                .register(registry);
    }

    synchronized double backlog() {
        refresh();
        return backlog;
    }

    synchronized double oldestAgeSeconds() {
        refresh();
        return oldest == null
                ? 0
                : Math.max(0, Duration.between(oldest, Instant.now()).toMillis() / 1000.0);
    }

    private void refresh() {
        long now = System.nanoTime();
        if (sampled && now - sampledAt < refreshNanos) {
            return;
        }
        sampledAt = now;
        sampled = true;
        // Never inside the caller's transaction: the scrape's own short connection, autocommit.
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*), min(created_at) from outbox")) {
            rs.next();
            backlog = rs.getLong(1);
            Timestamp min = rs.getTimestamp(2);
            oldest = min == null ? null : min.toInstant();
        } catch (SQLException e) {
            LOG.debugf("outbox gauges not refreshed: %s", e.getMessage());
        }
    }
}
