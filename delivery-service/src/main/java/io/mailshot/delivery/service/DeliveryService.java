package io.mailshot.delivery.service;

import io.mailshot.kit.persistence.CancelledRuns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.delivery.config.DeliveryConfig;
import io.mailshot.delivery.persistence.DeliveryRepository;
import io.mailshot.delivery.persistence.DeliveryRow;
import io.mailshot.events.DeliveredFile;
import io.mailshot.events.ExtractionCompleted;
import io.mailshot.events.StagedFile;
import io.mailshot.kit.rest.ApiException;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Delivers a run's staged files (parts, then the manifest and the trigger file) to a routing's destination, under
 * the run's folder, retrying transient failures with exponential backoff and jitter. The original delivery is driven by ExtractionCompleted; admin
 * re-sends run on a small executor of their own and resume after a restart.
 */
@ApplicationScoped
public class DeliveryService {

    private static final Logger LOG = Logger.getLogger(DeliveryService.class);

    private final RoutingService routings;
    private final DeliveryStore store;
    private final DeliveryRepository deliveries;
    private final StagingStore staging;
    private final S3Transport s3;
    private final SftpTransport sftp;
    private final AzureBlobTransport azure;
    private final DeliveryConfig config;
    private final ObjectMapper json;
    // Re-sends are admin actions, rare and independent of the Kafka consumer: two at a time is plenty.
    private final ExecutorService resends = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "delivery-resend");
        t.setDaemon(true);
        return t;
    });

    private final CancelledRuns cancellations;

    public DeliveryService(RoutingService routings, DeliveryStore store, DeliveryRepository deliveries,
            StagingStore staging, S3Transport s3, SftpTransport sftp, AzureBlobTransport azure, DeliveryConfig config,
            ObjectMapper json, CancelledRuns cancellations) {
        this.azure = azure;
        this.cancellations = cancellations;
        this.routings = routings;
        this.store = store;
        this.deliveries = deliveries;
        this.staging = staging;
        this.s3 = s3;
        this.sftp = sftp;
        this.config = config;
        this.json = json;
    }

    /** Handles one ExtractionCompleted; returns once the run's delivery is settled (succeeded or failed). */
    public void deliver(String eventId, ExtractionCompleted event) {
        UUID runId = event.runId();
        UUID routingId = event.routingId();
        Routing routing = null;
        String refusal = null;
        try {
            routing = routingId == null ? null : routings.resolve(routingId).orElse(null);
        } catch (SecretCipher.SecretException e) {
            refusal = "file routing " + routingId + " secrets cannot be decrypted: " + e.getMessage();
        }
        StagedSet staged = new StagedSet(event.files() == null ? List.of() : event.files(), event.manifest(),
                event.trigger(), event.folder());
        String destination = destination(routing, staged);
        Optional<DeliveryRow> started = store.startOriginal(runId, routingId, destination, write(staged), eventId);
        if (started.isEmpty()) {
            LOG.infof("run %s is already delivered or failed; event %s ignored", runId, eventId);
            return;
        }
        if (refusal == null && cancellations.isCancelled(runId)) {
            refusal = "the run was cancelled; nothing was published";
        }
        if (refusal == null) {
            refusal = refusal(routingId, routing, staged);
        }
        if (refusal != null) {
            LOG.warnf("delivery of run %s refused: %s", runId, refusal);
            store.failed(started.get(), 0, destination, refusal, eventId);
            return;
        }
        run(started.get(), job(started.get(), routing, staged, () -> cancellations.isCancelled(runId)), eventId);
    }

    /**
     * Starts a re-send of a settled run's staged files to {@code routingId} (null: the original routing) and
     * returns the new delivery at once; it proceeds in the background. Refuses with a problem when the run is
     * unknown or still being delivered, the routing is unknown or not ACTIVE, or the staged files are gone.
     */
    public DeliveryRow resend(UUID runId, UUID routingId) {
        DeliveryRow original = deliveries.find(runId)
                .orElseThrow(() -> ApiException.notFound("delivery of run", runId));
        if (!original.finished()) {
            throw ApiException.conflict("runId", "delivery-settled", "run " + runId
                    + " is still being delivered; re-send it once that delivery has succeeded or failed");
        }
        if (original.staged() == null) {
            throw ApiException.conflict("runId", "staged-files-recorded", "run " + runId
                    + " was delivered before staged files were recorded; it cannot be re-sent");
        }
        UUID target = routingId == null ? original.routingId() : routingId;
        if (target == null) {
            throw ApiException.invalid("routingId", "required", "the run has no file routing: give routingId");
        }
        Routing routing = routings.resolve(target).orElseThrow(() -> ApiException.notFound("file routing", target));
        if (routing.status() != RoutingStatus.ACTIVE) {
            throw ApiException.conflict("routingId", "active-routing", "file routing " + routing.name() + " is "
                    + routing.status() + ", not ACTIVE");
        }
        StagedSet staged = read(original.staged());
        String refusal = refusal(target, routing, staged);
        if (refusal != null) {
            throw ApiException.conflict("runId", "deliverable", refusal);
        }
        for (StagedFile file : job(original, routing, staged, () -> false).inOrder()) {
            if (!staging.exists(file)) {
                throw ApiException.conflict("runId", "retained", "the staged files of run " + runId
                        + " are no longer retained (" + file.name() + " is gone from the staging bucket)");
            }
        }
        DeliveryRow resend = store.createResend(runId, target, destination(routing, staged), original.staged())
                .orElseThrow(() -> ApiException.conflict("routingId", "one-at-a-time", "a re-send of run " + runId
                        + " to " + routing.name() + " is already in progress"));
        LOG.infof("re-send %s of run %s to %s requested", resend.id(), runId, routing.destination());
        resends.submit(() -> resume(resend.id()));
        return resend;
    }

    /** Re-sends interrupted by a stop carry on after a restart (same delivery id, so same temporary names). */
    void resumeResends(@Observes StartupEvent started) {
        for (UUID id : deliveries.unfinishedResends()) {
            LOG.infof("resuming re-send %s", id);
            resends.submit(() -> resume(id));
        }
    }

    private void resume(UUID deliveryId) {
        try {
            DeliveryRow row = deliveries.find(deliveryId).orElseThrow();
            if (row.finished()) {
                return;
            }
            Routing routing;
            try {
                routing = routings.resolve(row.routingId()).orElse(null);
            } catch (SecretCipher.SecretException e) {
                store.failed(row, 0, row.destination(), "file routing " + row.routingId()
                        + " secrets cannot be decrypted: " + e.getMessage(), null);
                return;
            }
            StagedSet staged = read(row.staged());
            String refusal = refusal(row.routingId(), routing, staged);
            if (refusal != null) {
                store.failed(row, 0, row.destination(), refusal, null);
                return;
            }
            run(row, job(row, routing, staged, () -> false), null);
        } catch (RuntimeException e) {
            LOG.errorf("re-send %s stopped: %s", deliveryId, e.getClass().getSimpleName());
        }
    }

    /**
     * The job of a delivery that passed {@link #refusal}: the run's folder (normalised), and the delivery's own
     * timestamp (its creation time, stored with it, so every retry and restart uses the same names).
     */
    private static DeliveryJob job(DeliveryRow delivery, Routing routing, StagedSet staged,
            java.util.function.BooleanSupplier cancelled) {
        String stamp = routing.timestampFileNames() ? FileNames.stamp(delivery.createdAt()) : null;
        return new DeliveryJob(delivery.id(), routing, staged.files(), staged.manifest(), staged.trigger(),
                PathRules.normaliseBaseFolder(staged.folder()), stamp, cancelled);
    }

    /** Where the run's files go, for the delivery record; the base folder when the run's folder is unusable. */
    private static String destination(Routing routing, StagedSet staged) {
        if (routing == null) {
            return null;
        }
        try {
            String folder = PathRules.normaliseBaseFolder(staged.folder());
            return folder == null ? routing.destination() : routing.destination(PathRules.join(routing.baseFolder(),
                    folder));
        } catch (IllegalArgumentException e) {
            return routing.destination();
        }
    }

    /** Attempts the job until it succeeds, fails permanently or runs out of attempts; records every attempt. */
    private void run(DeliveryRow delivery, DeliveryJob job, String eventId) {
        Routing routing = job.routing();
        String destination = job.destination();
        int attempt = delivery.attempts();
        for (int tries = 1; ; tries++) {
            attempt++;
            try {
                LOG.infof("delivering run %s to %s (delivery %s, attempt %d)", delivery.runId(), destination,
                        delivery.id(), attempt);
                List<DeliveredFile> files = switch (routing.type()) {
                    case S3 -> s3.deliver(job);
                    case SFTP -> sftp.deliver(job);
                    case AZURE_BLOB -> azure.deliver(job);
                };
                store.succeeded(delivery, attempt, destination, files,
                        job.manifest() == null ? null : job.deliveredName(job.manifest()), eventId);
                LOG.infof("run %s delivered to %s: %d file(s)", delivery.runId(), destination, files.size());
                return;
            } catch (DeliveryException | RuntimeException e) {
                boolean permanent = e instanceof DeliveryException d && d.permanent();
                String reason = scrub(e instanceof DeliveryException ? e.getMessage()
                        : "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage(), routing);
                if (permanent || tries >= config.maxAttempts()) {
                    LOG.warnf("delivery of run %s to %s failed (attempt %d, final): %s", delivery.runId(),
                            destination, attempt, reason);
                    store.failed(delivery, attempt, destination, reason, eventId);
                    return;
                }
                Duration wait = backoff(tries);
                LOG.warnf("delivery of run %s to %s failed (attempt %d), retrying in %d ms: %s", delivery.runId(),
                        destination, attempt, wait.toMillis(), reason);
                store.attemptFailed(delivery, attempt, destination, reason);
                sleep(wait);
            }
        }
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
        if (staged.folder() != null) {
            // Never trust an event: the folder is checked again here, as strictly as a routing's base folder.
            try {
                PathRules.normaliseBaseFolder(staged.folder());
            } catch (IllegalArgumentException e) {
                return "the run's folder " + abbreviate(staged.folder()) + " is refused (it " + e.getMessage()
                        + "); nothing was written";
            }
        }
        Set<String> names = new HashSet<>();
        List<StagedFile> all = new ArrayList<>(staged.files() == null ? List.of() : staged.files());
        all.add(staged.manifest());
        all.add(staged.trigger());
        all.removeIf(java.util.Objects::isNull);
        if (staged.files() != null && staged.files().contains(null)) {
            return "a staged part is missing from the event";
        }
        for (StagedFile file : all) {
            if (file == null || !PathRules.isPlainFileName(file.name())) {
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

    /** Exponential backoff (initial * 2^(n-1), capped), with jitter between half and all of it. */
    Duration backoff(int failedTries) {
        long initial = config.initialBackoff().toMillis();
        long cap = config.maxBackoff().toMillis();
        long exp = initial << Math.min(failedTries - 1, 20);
        long bounded = Math.max(1, Math.min(cap, exp));
        return Duration.ofMillis(bounded / 2 + ThreadLocalRandom.current().nextLong(bounded / 2 + 1));
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("delivery interrupted", e);
        }
    }

    /** Defence in depth: no error text may ever carry one of the routing's secrets. */
    static String scrub(String reason, Routing routing) {
        String result = reason == null ? "unknown error" : reason;
        for (String secret : routing.secrets()) {
            if (!secret.isEmpty()) {
                result = result.replace(secret, "***");
            }
        }
        return result.length() > 1000 ? result.substring(0, 1000) + "…" : result;
    }

    private static String abbreviate(String value) {
        if (value == null) {
            return "(none)";
        }
        String printable = value.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 80 ? printable.substring(0, 80) + "…" : printable;
    }

    @PreDestroy
    void stop() {
        // An interrupted re-send stays IN_PROGRESS and is resumed at the next start.
        resends.shutdownNow();
    }
}
