package io.mailshot.kit.persistence;

import io.mailshot.kit.health.WorkWatch;
import io.mailshot.kit.lifecycle.InstanceConfig;
import io.mailshot.kit.lifecycle.PollingLoop;
import io.mailshot.kit.messaging.EventTracing;
import io.mailshot.kit.messaging.TraceHeaders;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Work to be done later, kept in the service's database: what a stage schedules for a run instead of sleeping
 * on a consumer thread (a run's next try after a back-off, a delivery's next attempt). Any replica's workers take
 * due items under a lease ({@code for update skip locked}), renew it while they work, and delete an item once its
 * handler returns; a handler that throws (the database went away) leaves it due again a little later. A process
 * restarted under its stable instance id frees its predecessor's leases at once; otherwise they lapse.
 *
 * <p>Table {@code deferred_work (id uuid primary key, kind text, run_id uuid, payload text, due_at timestamptz,
 * lease_owner text, lease_until timestamptz, created_at timestamptz, traceparent text, tracestate text)}: the trace
 * context current when the item was scheduled, which its handler continues in a span of its own (see
 * {@link EventTracing}), so a run's later work stays in the run's trace. The queue starts with the first
 * {@link #register handler}, so services without the table never poll it.
 */
@ApplicationScoped
public class DeferredWork {

    private static final Logger LOG = Logger.getLogger(DeferredWork.class);
    /** How long an item whose handler failed waits before it is due again. */
    private static final Duration AFTER_HANDLER_FAILURE = Duration.ofSeconds(5);

    /** Does one item's work; the item is deleted when it returns. */
    @FunctionalInterface
    public interface Handler {
        void handle(UUID runId, String payload) throws Exception;
    }

    /** The queue's workers. */
    @ConfigMapping(prefix = "mailshot.deferred")
    public interface Config {

        /** Items worked on at the same time by this replica. */
        @WithDefault("2")
        int workers();

        /** How long a claim lasts without renewal (renewed while the work goes on). */
        @WithDefault("1m")
        Duration lease();

        /** How often the queue looks for items that became due. */
        @WithDefault("500ms")
        Duration pollInterval();
    }

    private final DataSource dataSource;
    private final TransactionSynchronizationRegistry transactions;
    private final Config config;
    private final InstanceConfig instance;
    private final WorkWatch watch;
    private final EventTracing tracing;
    private final String owner;
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    private final Set<UUID> inHand = ConcurrentHashMap.newKeySet();
    private final Semaphore free;
    private volatile PollingLoop loop;
    private volatile ExecutorService workers;
    private volatile long renewedAt;

    public DeferredWork(
            DataSource dataSource,
            TransactionSynchronizationRegistry transactions,
            Config config,
            InstanceConfig instance,
            WorkWatch watch,
            EventTracing tracing) {
        this.dataSource = dataSource;
        this.tracing = tracing;
        this.transactions = transactions;
        this.config = config;
        this.instance = instance;
        this.watch = watch;
        this.owner = instance.idOrRandom();
        this.free = new Semaphore(Math.max(1, config.workers()));
    }

    /** Registers the handler of one kind of item and starts the queue if it was not running. */
    public synchronized void register(String kind, Handler handler) {
        handlers.put(kind, handler);
        if (loop != null) {
            return;
        }
        if (instance.id().isPresent()) {
            int released = update(
                    "update deferred_work set lease_owner = null, lease_until = null" + " where lease_owner = ?",
                    owner);
            if (released > 0) {
                LOG.infof("took back %d deferred items held by this replica before it stopped", released);
            }
        }
        AtomicInteger number = new AtomicInteger();
        // Its own bounded pool, not Quarkus's worker pool: an item may hold a worker for minutes (an upload), and
        // `mailshot.deferred.workers` caps how many run at once on this replica whatever the HTTP load.
        workers = Executors.newFixedThreadPool(Math.max(1, config.workers()), r -> {
            Thread t = new Thread(r, "deferred-worker-" + number.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        loop = new PollingLoop("deferred-work", config.pollInterval(), this::round);
        loop.start();
    }

    /** Schedules an item, in the caller's transaction when there is one; one due now is taken after the commit. */
    @Transactional
    public void defer(String kind, UUID runId, String payload, Instant dueAt) {
        TraceHeaders trace = EventTracing.current();
        update(
                "insert into deferred_work (id, kind, run_id, payload, due_at, created_at, traceparent, tracestate)"
                        + " values (?, ?, ?, ?, ?, now(), ?, ?)",
                UUID.randomUUID(),
                kind,
                runId,
                payload,
                Timestamp.from(dueAt),
                trace.traceparent(),
                trace.tracestate());
        if (dueAt.isAfter(Instant.now())) {
            return;
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {}

            @Override
            public void afterCompletion(int status) {
                PollingLoop l = loop;
                if (status == Status.STATUS_COMMITTED && l != null) {
                    l.wake();
                }
            }
        });
    }

    /** When the run's next item of that kind is due, if one is waiting. */
    public Optional<Instant> due(String kind, UUID runId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement("select min(due_at) from deferred_work where kind = ? and run_id = ?")) {
            s.setString(1, kind);
            s.setObject(2, runId);
            try (ResultSet rs = s.executeQuery()) {
                Timestamp due = rs.next() ? rs.getTimestamp(1) : null;
                return Optional.ofNullable(due).map(Timestamp::toInstant);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read deferred work", e);
        }
    }

    void stop(@Observes ShutdownEvent stopping) {
        PollingLoop l = loop;
        if (l != null) {
            l.stop();
        }
        ExecutorService w = workers;
        if (w != null) {
            // Interrupted items keep their lease: taken back at the next start, or lapsing for another replica.
            w.shutdownNow();
        }
    }

    private boolean round() {
        renewLeases();
        int slots = free.availablePermits();
        if (slots == 0) {
            return false;
        }
        List<Item> claimed = claim(slots);
        for (Item item : claimed) {
            free.acquireUninterruptibly();
            inHand.add(item.id());
            workers.execute(() -> work(item));
        }
        return claimed.size() == slots && free.availablePermits() > 0;
    }

    private void work(Item item) {
        WorkWatch.Worker worker = watch.worker(Thread.currentThread().getName());
        worker.busy(item.kind() + " of run " + item.runId());
        try {
            Handler handler = handlers.get(item.kind());
            if (handler == null) {
                throw new IllegalStateException("no handler for deferred " + item.kind());
            }
            tracing.resume(item.kind(), item.runId(), item.trace(), () -> handler.handle(item.runId(), item.payload()));
            update("delete from deferred_work where id = ?", item.id());
        } catch (Exception e) {
            LOG.warnf(
                    "deferred %s of run %s failed; due again in %s: %s",
                    item.kind(), item.runId(), AFTER_HANDLER_FAILURE, e.toString());
            try {
                update(
                        "update deferred_work set due_at = ?, lease_owner = null, lease_until = null where id = ?",
                        Timestamp.from(Instant.now().plus(AFTER_HANDLER_FAILURE)),
                        item.id());
            } catch (RuntimeException ignored) {
                // The database is away: the lease lapses instead.
            }
        } finally {
            inHand.remove(item.id());
            free.release();
            worker.idle();
            loop.wake();
        }
    }

    private List<Item> claim(int limit) {
        List<Item> items = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "update deferred_work set lease_owner = ?, lease_until = ? where id in (select id from deferred_work"
                                + " where due_at <= now() and (lease_until is null or lease_until < now())"
                                + " order by due_at limit ? for update skip locked) returning id, kind, run_id, payload, traceparent, tracestate")) {
            s.setString(1, owner);
            s.setTimestamp(2, Timestamp.from(Instant.now().plus(config.lease())));
            s.setInt(3, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    items.add(new Item(
                            rs.getObject(1, UUID.class),
                            rs.getString(2),
                            rs.getObject(3, UUID.class),
                            rs.getString(4),
                            new TraceHeaders(rs.getString(5), rs.getString(6))));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not claim deferred work", e);
        }
        return items;
    }

    /** Renews the leases in hand once a third of the lease has passed since the last renewal. */
    private void renewLeases() {
        long now = System.currentTimeMillis();
        if (inHand.isEmpty() || now - renewedAt < config.lease().toMillis() / 3) {
            return;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "update deferred_work set lease_until = ? where lease_owner = ? and id = any (?)")) {
            s.setTimestamp(1, Timestamp.from(Instant.now().plus(config.lease())));
            s.setString(2, owner);
            s.setArray(3, c.createArrayOf("uuid", inHand.toArray()));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not renew deferred work leases", e);
        }
        renewedAt = now;
    }

    private int update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not write deferred work: " + e.getSQLState(), e);
        }
    }

    private record Item(UUID id, String kind, UUID runId, String payload, TraceHeaders trace) {}
}
