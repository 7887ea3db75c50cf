package io.mailshot.delivery.service;

import io.mailshot.delivery.config.DeliveryConfig;
import io.mailshot.events.DeliveredFile;
import io.mailshot.events.ExtractionCompleted;
import io.mailshot.events.StagedFile;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Delivers a completed extraction's files to its routing's destination, retrying transient failures with
 * exponential backoff and jitter, and records the outcome exactly once per run.
 */
@ApplicationScoped
public class DeliveryService {

    private static final Logger LOG = Logger.getLogger(DeliveryService.class);

    private final RoutingService routings;
    private final DeliveryStore store;
    private final S3Transport s3;
    private final SftpTransport sftp;
    private final DeliveryConfig config;

    public DeliveryService(RoutingService routings, DeliveryStore store, S3Transport s3, SftpTransport sftp,
            DeliveryConfig config) {
        this.routings = routings;
        this.store = store;
        this.s3 = s3;
        this.sftp = sftp;
        this.config = config;
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
        String destination = routing == null ? null : routing.destination();
        OptionalInt previous = store.start(runId, routingId, destination, eventId);
        if (previous.isEmpty()) {
            LOG.infof("run %s is already delivered or failed; event %s ignored", runId, eventId);
            return;
        }
        if (refusal == null) {
            refusal = refusal(routingId, routing, event.files());
        }
        if (refusal != null) {
            settleWithoutAttempt(runId, routingId, destination, refusal, eventId);
            return;
        }
        int attempt = previous.getAsInt();
        for (int tries = 1; ; tries++) {
            attempt++;
            try {
                LOG.infof("delivering run %s to %s (attempt %d)", runId, destination, attempt);
                List<DeliveredFile> files = switch (routing.type()) {
                    case S3 -> s3.deliver(routing, event.files());
                    case SFTP -> sftp.deliver(routing, event.files());
                };
                store.succeeded(runId, routingId, attempt, destination, files, eventId);
                LOG.infof("run %s delivered to %s: %d file(s)", runId, destination, files.size());
                return;
            } catch (DeliveryException | RuntimeException e) {
                boolean permanent = e instanceof DeliveryException d && d.permanent();
                String reason = scrub(e instanceof DeliveryException ? e.getMessage()
                        : "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage(), routing);
                if (permanent || tries >= config.maxAttempts()) {
                    LOG.warnf("delivery of run %s to %s failed (attempt %d, final): %s", runId, destination, attempt,
                            reason);
                    store.failed(runId, routingId, attempt, destination, reason, eventId);
                    return;
                }
                Duration wait = backoff(tries);
                LOG.warnf("delivery of run %s to %s failed (attempt %d), retrying in %d ms: %s", runId, destination,
                        attempt, wait.toMillis(), reason);
                store.attemptFailed(runId, routingId, attempt, destination, reason);
                sleep(wait);
            }
        }
    }

    private void settleWithoutAttempt(UUID runId, UUID routingId, String destination, String reason, String eventId) {
        LOG.warnf("delivery of run %s refused: %s", runId, reason);
        store.failed(runId, routingId, 0, destination, reason, eventId);
    }

    /** Why the run cannot be delivered at all, or null. */
    private static String refusal(UUID routingId, Routing routing, List<StagedFile> files) {
        if (routingId == null) {
            return "the run has no file routing";
        }
        if (routing == null) {
            return "file routing " + routingId + " does not exist";
        }
        if (routing.status() != RoutingStatus.ACTIVE) {
            return "file routing " + routing.name() + " is " + routing.status() + ", not ACTIVE";
        }
        Set<String> names = new HashSet<>();
        for (StagedFile file : files == null ? List.<StagedFile>of() : files) {
            if (!PathRules.isPlainFileName(file.name())) {
                return "staged file name is not a plain file name: " + abbreviate(file.name());
            }
            if (!names.add(file.name())) {
                return "staged file name appears twice: " + file.name();
            }
        }
        return null;
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
    private static String scrub(String reason, Routing routing) {
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
}
