package io.mailshot.delivery.service.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.delivery.client.StagingBucket;
import io.mailshot.delivery.persistence.DeliveryRepository;
import io.mailshot.delivery.persistence.DeliveryRow;
import io.mailshot.delivery.service.crypto.SecretCipher;
import io.mailshot.delivery.service.egress.EgressGuard;
import io.mailshot.delivery.service.routing.Destinations;
import io.mailshot.delivery.service.routing.Routing;
import io.mailshot.delivery.service.routing.RoutingService;
import io.mailshot.delivery.service.routing.RoutingStatus;
import io.mailshot.delivery.service.transport.Transports;
import io.mailshot.events.DeliveredFile;
import io.mailshot.events.ExtractionCompleted;
import io.mailshot.events.StagedFile;
import io.mailshot.events.files.NameRuleException;
import io.mailshot.events.files.NameTemplate;
import io.mailshot.events.files.PathRules;
import io.mailshot.kit.domain.DomainException;
import io.mailshot.kit.lifecycle.RetryPolicy;
import io.mailshot.kit.messaging.ProgressPublisher;
import io.mailshot.kit.metrics.Metrics;
import io.mailshot.kit.persistence.CancelledRuns;
import io.mailshot.kit.persistence.DeferredWork;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Delivers a run's staged files (parts, then the manifest and the trigger file) to a routing's destination, under
 * the run's folder. An ExtractionCompleted or an admin's re-send only <i>queues</i> a delivery with its first
 * attempt; the kit's {@link DeferredWork} workers (of any replica) then make one {@link #attempt} at a time, each
 * delivery on its own, and a transient failure schedules the next attempt after an exponential back-off with
 * jitter (kit {@link RetryPolicy}) instead of sleeping: one destination that is down never holds up another run's
 * delivery.
 */
@ApplicationScoped
public class DeliveryService {

    private static final Logger LOG = Logger.getLogger(DeliveryService.class);

    private final RoutingService routings;
    private final DeliveryLedger ledger;
    private final DeliveryRepository deliveries;
    private final StagingBucket staging;
    private final Transports transports;
    private final RetryPolicy retry;
    private final ObjectMapper json;
    private final CancelledRuns cancellations;
    private final DeferredWork deferred;
    private final EgressGuard egress;
    private final MeterRegistry registry;
    private final ProgressPublisher progressPublisher;

    public DeliveryService(
            RoutingService routings,
            DeliveryLedger ledger,
            DeliveryRepository deliveries,
            StagingBucket staging,
            Transports transports,
            RetryPolicy retry,
            ObjectMapper json,
            CancelledRuns cancellations,
            DeferredWork deferred,
            EgressGuard egress,
            MeterRegistry registry,
            ProgressPublisher progressPublisher) {
        this.registry = registry;
        this.progressPublisher = progressPublisher;
        this.egress = egress;
        this.routings = routings;
        this.ledger = ledger;
        this.deliveries = deliveries;
        this.staging = staging;
        this.transports = transports;
        this.retry = retry;
        this.json = json;
        this.cancellations = cancellations;
        this.deferred = deferred;
    }

    void start(@Observes StartupEvent started) {
        deferred.register(DeliveryLedger.ATTEMPT, (runId, deliveryId) -> attempt(UUID.fromString(deliveryId)));
    }

    /**
     * Queues the run's original delivery for one ExtractionCompleted and returns at once: the delivery row is
     * durable, so the event's offset may be committed; a repeated event changes nothing.
     */
    public void deliver(String eventId, ExtractionCompleted event) {
        UUID runId = event.runId();
        StagedSet staged = new StagedSet(
                event.files() == null ? List.of() : event.files(), event.manifest(), event.trigger(), event.folder());
        Routing routing;
        try {
            routing = event.routingId() == null
                    ? null
                    : routings.resolve(event.routingId()).orElse(null);
        } catch (SecretCipher.SecretException e) {
            routing = null; // the attempt reports it as the delivery's failure
        }
        if (ledger.queueOriginal(runId, event.routingId(), destination(routing, staged), write(staged), eventId)) {
            LOG.infof("delivery of run %s queued", runId);
        } else {
            LOG.infof("delivery of run %s already queued; event %s ignored", runId, eventId);
        }
    }

    /**
     * Queues a re-send of a settled run's staged files to {@code routingId} (null: the original routing) and
     * returns the new delivery at once. Refuses with a problem when the run is unknown or still being
     * delivered, the routing is unknown or not ACTIVE, or the staged files are gone.
     */
    public DeliveryRow resend(UUID runId, UUID routingId) {
        DeliveryRow original =
                deliveries.find(runId).orElseThrow(() -> DomainException.notFound("delivery of run", runId));
        if (!original.finished()) {
            throw DomainException.conflict(
                    "runId",
                    "delivery-settled",
                    "run " + runId
                            + " is still being delivered; re-send it once that delivery has succeeded or failed");
        }
        if (original.staged() == null) {
            throw DomainException.conflict(
                    "runId",
                    "staged-files-recorded",
                    "run " + runId + " was delivered before staged files were recorded; it cannot be re-sent");
        }
        UUID target = routingId == null ? original.routingId() : routingId;
        if (target == null) {
            throw DomainException.invalid("routingId", "required", "the run has no file routing: give routingId");
        }
        Routing routing = routings.resolve(target).orElseThrow(() -> DomainException.notFound("file routing", target));
        if (routing.status() != RoutingStatus.ACTIVE) {
            throw DomainException.conflict(
                    "routingId",
                    "active-routing",
                    "file routing " + routing.name() + " is " + routing.status() + ", not ACTIVE");
        }
        StagedSet staged = read(original.staged());
        String refusal = refusal(target, routing, staged);
        if (refusal != null) {
            throw DomainException.conflict("runId", "deliverable", refusal);
        }
        for (StagedFile file : job(original, routing, staged, () -> false).inOrder()) {
            if (!staging.exists(file)) {
                throw DomainException.conflict(
                        "runId",
                        "retained",
                        "the staged files of run " + runId + " are no longer retained (" + file.name()
                                + " is gone from the staging bucket)");
            }
        }
        DeliveryRow resend = ledger.createResend(runId, target, destination(routing, staged), original.staged())
                .orElseThrow(() -> DomainException.conflict(
                        "routingId",
                        "one-at-a-time",
                        "a re-send of run " + runId + " to " + routing.name() + " is already in progress"));
        LOG.infof("re-send %s of run %s to %s requested", resend.id(), runId, routing.destination());
        return resend;
    }

    /**
     * One attempt of a queued delivery, by a worker that holds its lease: settles it (succeeded, or failed for
     * good) or schedules its next attempt. A delivery already settled is left alone. Throws only when the outcome
     * cannot be recorded (the database is away): the attempt is then made again.
     */
    public void attempt(UUID deliveryId) {
        DeliveryRow row = deliveries.find(deliveryId).orElse(null);
        if (row == null || row.finished()) {
            return;
        }
        boolean resend = DeliveryRow.RESEND.equals(row.kind());
        Routing routing = null;
        String refusal = null;
        try {
            routing = row.routingId() == null
                    ? null
                    : routings.resolve(row.routingId()).orElse(null);
        } catch (SecretCipher.SecretException e) {
            refusal = "file routing " + row.routingId() + " secrets cannot be decrypted: " + e.getMessage();
        }
        StagedSet staged = read(row.staged());
        UUID runId = row.runId();
        // A re-send is an admin's new delivery of a delivered run, which can no longer be cancelled.
        BooleanSupplier cancelled = resend ? () -> false : () -> cancellations.isCancelled(runId);
        if (refusal == null && cancelled.getAsBoolean()) {
            refusal = "the run was cancelled; nothing was published";
        }
        if (refusal == null) {
            refusal = refusal(row.routingId(), routing, staged);
        }
        if (refusal != null) {
            LOG.warnf("delivery %s of run %s refused: %s", deliveryId, runId, refusal);
            ledger.failed(row, 0, row.destination(), refusal);
            String transport = transport(routing);
            registry.counter(Metrics.DELIVERY_FAILURES, Metrics.TRANSPORT, transport, Metrics.REASON, "refused")
                    .increment();
            ended(row, transport, "failed");
            return;
        }
        DeliveryJob job = job(row, routing, staged, cancelled);
        String destination = job.destination();
        int attempt = row.attempts() + 1;
        try {
            LOG.infof("delivering run %s to %s (delivery %s, attempt %d)", runId, destination, deliveryId, attempt);
            // Checked again at every attempt: the name may resolve elsewhere than when the routing was saved.
            Destinations.checkForDelivery(egress, Destinations.host(routing));
            // Re-sends are an admin's extra copy of a delivered run: they move no progress bar.
            AttemptProgress progress = resend ? null : new AttemptProgress(progressPublisher, runId, attempt, job);
            List<DeliveredFile> files =
                    transports.of(routing.type()).deliver(progress == null ? job : job.withProgress(progress));
            if (progress != null) {
                progress.finished();
            }
            ledger.succeeded(
                    row,
                    attempt,
                    destination,
                    files,
                    job.manifest() == null ? null : job.deliveredName(job.manifest()));
            LOG.infof("run %s delivered to %s: %d file(s)", runId, destination, files.size());
            delivered(routing, row, files);
        } catch (DeliveryException | RuntimeException e) {
            boolean permanent = e instanceof DeliveryException d && d.permanent();
            attemptFailed(routing, e, permanent);
            String reason = routing.scrub(
                    e instanceof DeliveryException
                            ? e.getMessage()
                            : "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
            if (permanent || !retry.mayRetry(attempt)) {
                LOG.warnf(
                        "delivery of run %s to %s failed (attempt %d, final): %s", runId, destination, attempt, reason);
                ledger.failed(row, attempt, destination, reason);
                ended(row, transport(routing), "failed");
                return;
            }
            Duration wait = retry.backoff(attempt);
            LOG.warnf(
                    "delivery of run %s to %s failed (attempt %d), next attempt in %d ms: %s",
                    runId, destination, attempt, wait.toMillis(), reason);
            ledger.attemptFailed(
                    row, attempt, destination, reason, Instant.now().plus(wait));
        }
    }

    /** Counts a successful attempt, per delivery (never per file or byte written). */
    private void delivered(Routing routing, DeliveryRow row, List<DeliveredFile> files) {
        String transport = transport(routing);
        long bytes = 0;
        for (DeliveredFile file : files) {
            bytes += file.bytes();
        }
        registry.counter(Metrics.DELIVERY_ATTEMPTS, Metrics.TRANSPORT, transport, Metrics.OUTCOME, "succeeded")
                .increment();
        registry.counter(Metrics.DELIVERED_FILES, Metrics.TRANSPORT, transport).increment(files.size());
        registry.counter(Metrics.DELIVERED_BYTES, Metrics.TRANSPORT, transport).increment(bytes);
        ended(row, transport, "succeeded");
    }

    /**
     * Counts a failed attempt by its reason class: permanent (refused for good: a destination's refusal, the
     * egress policy, a cancelled run), transient (may succeed later) or unexpected (a bug); a delivery refused
     * before any attempt counts as refused. The reason's text stays out of the tags: it may name hosts and is
     * unbounded.
     */
    private void attemptFailed(Routing routing, Exception failure, boolean permanent) {
        String transport = transport(routing);
        String reason = failure instanceof DeliveryException ? (permanent ? "permanent" : "transient") : "unexpected";
        registry.counter(Metrics.DELIVERY_ATTEMPTS, Metrics.TRANSPORT, transport, Metrics.OUTCOME, "failed")
                .increment();
        registry.counter(Metrics.DELIVERY_FAILURES, Metrics.TRANSPORT, transport, Metrics.REASON, reason)
                .increment();
    }

    /** The delivery settled: how long it took from its creation (the run's stage start here) to now. */
    private void ended(DeliveryRow row, String transport, String outcome) {
        if (row.createdAt() == null) {
            return;
        }
        Metrics.stageEnded(registry, Metrics.STAGE_DELIVERY, outcome, Duration.between(row.createdAt(), Instant.now()));
    }

    private static String transport(Routing routing) {
        return routing == null ? "none" : routing.type().name().toLowerCase(Locale.ROOT);
    }

    /**
     * The job of a delivery that passed {@link #refusal}: the run's folder (normalised), and the delivery's own
     * timestamp (its creation time, stored with it, so every retry and restart uses the same names).
     */
    private static DeliveryJob job(DeliveryRow delivery, Routing routing, StagedSet staged, BooleanSupplier cancelled) {
        String stamp = routing.timestampFileNames() ? NameTemplate.stamp(delivery.createdAt()) : null;
        return new DeliveryJob(
                delivery.id(),
                routing,
                staged.files(),
                staged.manifest(),
                staged.trigger(),
                runFolder(staged.folder()),
                stamp,
                cancelled);
    }

    /** Where the run's files go, for the delivery record; the base folder when the run's folder is unusable. */
    private static String destination(Routing routing, StagedSet staged) {
        if (routing == null) {
            return null;
        }
        try {
            String folder = runFolder(staged.folder());
            return folder == null
                    ? routing.destination()
                    : routing.destination(PathRules.join(routing.baseFolder(), folder));
        } catch (IllegalArgumentException e) {
            return routing.destination();
        }
    }

    /** The run's folder under the routing's base folder (null: the base folder itself), checked by the contract. */
    private static String runFolder(String folder) {
        return PathRules.normaliseBaseFolder(folder);
    }

    /** Why the files cannot be delivered at all, or null. */
    private static String refusal(UUID routingId, Routing routing, StagedSet staged) {
        if (routingId == null) {
            return "the run has no file routing";
        }
        if (routing == null) {
            return "file routing " + routingId + " does not exist";
        }
        if (routing.status() != RoutingStatus.ACTIVE) {
            return "file routing " + routing.name() + " is " + routing.status() + ", not ACTIVE";
        }
        if (routing.missingSecret() != null) {
            return "file routing " + routing.name() + " has no " + routing.missingSecret() + " (dropped when its"
                    + " destination changed): send it again with PUT /file-routings/" + routing.id()
                    + "; nothing was sent";
        }
        if (staged.folder() != null) {
            // Never trust an event: the folder is checked again here, with the rule the other services apply.
            try {
                runFolder(staged.folder());
            } catch (NameRuleException e) {
                return "the run's folder " + abbreviate(staged.folder()) + " is refused (it " + e.getMessage()
                        + "); nothing was written";
            }
        }
        Set<String> names = new HashSet<>();
        List<StagedFile> all = new ArrayList<>(staged.files() == null ? List.of() : staged.files());
        all.add(staged.manifest());
        all.add(staged.trigger());
        all.removeIf(Objects::isNull);
        if (staged.files() != null && staged.files().contains(null)) {
            return "a staged part is missing from the event";
        }
        for (StagedFile file : all) {
            if (file == null || !PathRules.isFileName(file.name())) {
                return "staged file name is not a plain file name: " + abbreviate(file == null ? null : file.name());
            }
            if (!names.add(file.name())) {
                return "staged file name appears twice: " + file.name();
            }
        }
        return null;
    }

    private String write(StagedSet staged) {
        try {
            return json.writeValueAsString(staged);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot record the staged files", e);
        }
    }

    private StagedSet read(String staged) {
        try {
            return json.readValue(staged, StagedSet.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the recorded staged files are unreadable", e);
        }
    }

    private static String abbreviate(String value) {
        if (value == null) {
            return "(none)";
        }
        String printable = value.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 80 ? printable.substring(0, 80) + "…" : printable;
    }
}
