package io.mailshot.delivery.service;

import io.mailshot.delivery.config.DeliveryConfig;
import io.mailshot.delivery.persistence.DeliveryRepository;
import io.mailshot.kit.health.WorkWatch;
import io.mailshot.kit.lifecycle.InstanceConfig;
import io.mailshot.kit.lifecycle.PollingLoop;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The workers that attempt queued deliveries. The {@code delivery} table is the queue: a polling loop claims
 * deliveries that are due and not held by a live lease (any replica may, {@code for update skip locked}), hands
 * each to a free worker, and renews the leases of those in hand. A worker makes one attempt, which settles the
 * delivery or schedules its next attempt; the worker is then free for any other run's delivery.
 *
 * <p>A process that dies leaves its leases: restarted under the same instance id it frees them at once;
 * otherwise they lapse after {@code mailshot.delivery.lease}.
 */
@ApplicationScoped
public class DeliveryQueue {

    private static final Logger LOG = Logger.getLogger(DeliveryQueue.class);

    private final DeliveryRepository deliveries;
    private final DeliveryService service;
    private final DeliveryConfig config;
    private final InstanceConfig instance;
    private final WorkWatch watch;
    private final String owner;
    private final Set<UUID> inHand = ConcurrentHashMap.newKeySet();
    private final Semaphore free;
    private PollingLoop loop;
    private ExecutorService workers;
    private volatile long renewedAt;

    public DeliveryQueue(DeliveryRepository deliveries, DeliveryService service, DeliveryConfig config,
            InstanceConfig instance, WorkWatch watch) {
        this.deliveries = deliveries;
        this.service = service;
        this.config = config;
        this.instance = instance;
        this.watch = watch;
        this.owner = instance.idOrRandom();
        this.free = new Semaphore(Math.max(1, config.workers()));
    }

    void start(@Observes StartupEvent started) {
        if (instance.id().isPresent()) {
            int released = deliveries.releaseLeases(owner);
            if (released > 0) {
                LOG.infof("took back %d deliveries held by this replica before it stopped", released);
            }
        }
        AtomicInteger number = new AtomicInteger();
        workers = Executors.newFixedThreadPool(Math.max(1, config.workers()), r -> {
            Thread t = new Thread(r, "delivery-worker-" + number.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        loop = new PollingLoop("delivery-queue", config.pollInterval(), this::round);
        loop.start();
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (loop != null) {
            loop.stop();
        }
        if (workers != null) {
            // An interrupted attempt keeps its lease: taken back at the next start, or lapsing for another replica.
            workers.shutdownNow();
        }
    }

    /** Looks for due work now: a delivery was just queued. */
    public void wake() {
        if (loop != null) {
            loop.wake();
        }
    }

    /** One round of the loop: renews the leases in hand, then claims as many due deliveries as workers are free. */
    private boolean round() {
        renewLeases();
        int slots = free.availablePermits();
        if (slots == 0) {
            return false;
        }
        List<UUID> claimed = deliveries.claimDue(owner, Instant.now().plus(config.lease()), slots);
        for (UUID id : claimed) {
            free.acquireUninterruptibly();
            inHand.add(id);
            workers.execute(() -> work(id));
        }
        return claimed.size() == slots && free.availablePermits() > 0;
    }

    private void work(UUID deliveryId) {
        WorkWatch.Worker worker = watch.worker(Thread.currentThread().getName());
        worker.busy("delivery " + deliveryId);
        try {
            service.attempt(deliveryId);
        } catch (RuntimeException e) {
            // The database went away mid-attempt: the lease lapses and the attempt is made again.
            LOG.warnf("delivery %s: attempt not recorded, it will be made again: %s", deliveryId, e.getMessage());
        } finally {
            inHand.remove(deliveryId);
            free.release();
            worker.idle();
            loop.wake();
        }
    }

    /** Renews the leases in hand when a third of the lease has passed since the last renewal. */
    private void renewLeases() {
        long now = System.currentTimeMillis();
        if (inHand.isEmpty() || now - renewedAt < config.lease().toMillis() / 3) {
            return;
        }
        deliveries.renewLeases(owner, new ArrayList<>(inHand), Instant.now().plus(config.lease()));
        renewedAt = now;
    }
}
