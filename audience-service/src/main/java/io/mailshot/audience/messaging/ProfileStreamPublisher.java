package io.mailshot.audience.messaging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.audience.config.AudienceConfig;
import io.mailshot.audience.persistence.MatchedProfile;
import io.mailshot.audience.persistence.ProfileRepository;
import io.mailshot.audience.persistence.RunMemberRepository;
import io.mailshot.audience.service.resolution.Holdout;
import io.mailshot.audience.service.resolution.ResolutionLedger.Attempt;
import io.mailshot.events.AudienceResolutionProgressed;
import io.mailshot.events.EventType;
import io.mailshot.events.ExclusionCounts;
import io.mailshot.events.ProfileStreamAbandoned;
import io.mailshot.events.ProfileStreamCancelled;
import io.mailshot.events.ProfileStreamCompleted;
import io.mailshot.events.ProfileStreamStarted;
import io.mailshot.events.ProfilesStreamed;
import io.mailshot.events.RunRequested;
import io.mailshot.events.Topics;
import io.mailshot.kit.health.WorkWatch;
import io.mailshot.kit.messaging.EventCodec;
import io.mailshot.kit.messaging.ProgressPace;
import io.mailshot.kit.metrics.Metrics;
import io.mailshot.kit.persistence.CancelledRuns;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Streams one resolution attempt to {@code mailshot.profiles}: the start marker, batches of the matched
 * profile that survives the exclusions (consent, address, suppression, returned mail, mail pressure, dedup, holdout,
 * in that order), and
 * the completion marker with the counts once every row is acknowledged. Rows come
 * straight from a database cursor, so memory does not depend on the audience size. Who was streamed (by
 * {@code seq}) and who was held out is copied to {@code run_member} alongside, committed just before the completion
 * marker, for the contact history recorded once the run is delivered.
 */
@ApplicationScoped
public class ProfileStreamPublisher {

    private final ProfileRepository profiles;
    private final RunMemberRepository members;
    /** Progress events (advisory, another topic). */
    private final Producer<String, String> producer;
    /**
     * Every record of the profile stream: markers and batches must go through one producer to keep their
     * order on the partition. A plain Kafka producer (built by the kit's {@code KafkaProducers}) rather than an
     * Emitter: the stream's order, its per-send callbacks and the awaited completion marker are what the
     * exactly-once hand-over downstream relies on.
     */
    private final Producer<String, byte[]> stream;

    private final JsonFactory json;
    private final EventCodec codec;
    private final AudienceConfig config;
    private final String source;

    private final CancelledRuns cancellations;
    private final Counter resolved;
    /**
     * By exclusion reason, in the order of the counts array: no consent, no address, suppressed, duplicate, holdout,
     * returned, pressure.
     */
    private final Counter[] excluded;

    public ProfileStreamPublisher(
            ProfileRepository profiles,
            RunMemberRepository members,
            Producer<String, String> producer,
            Producer<String, byte[]> stream,
            ObjectMapper json,
            EventCodec codec,
            AudienceConfig config,
            CancelledRuns cancellations,
            @ConfigProperty(name = "quarkus.application.name") String application,
            MeterRegistry registry) {
        this.resolved = registry.counter(Metrics.PROFILES_RESOLVED);
        this.excluded = new Counter[9];
        String[] reasons = {
            null, null, "no-consent", "no-address", "suppressed", "duplicate", "holdout", "returned", "pressure"
        };
        for (int i = 2; i < reasons.length; i++) {
            this.excluded[i] = registry.counter(Metrics.PROFILES_EXCLUDED, Metrics.REASON, reasons[i]);
        }
        this.cancellations = cancellations;
        this.profiles = profiles;
        this.members = members;
        this.producer = producer;
        this.stream = stream;
        this.json = json.getFactory();
        this.codec = codec;
        this.config = config;
        this.source = "/mailshot/" + application;
    }

    /** The counts of a completed attempt. */
    public record Outcome(long matched, long streamed, ExclusionCounts excluded, boolean cancelled) {}

    /** Thrown to stop the cursor early once a send has failed: the attempt is lost anyway. */
    private static final class SendFailed extends RuntimeException {
        SendFailed(Throwable cause) {
            super("sending the profile stream failed: " + cause.getMessage(), cause);
        }
    }

    /**
     * Streams the attempt and returns once its completion marker is acknowledged. Outside any transaction:
     * the cursor has a connection of its own.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public Outcome stream(RunRequested run, Attempt attempt) throws Exception {
        try {
            return streamAll(run, attempt);
        } catch (CancelledWhileStreaming e) {
            stream.flush();
            sendCancelled(run.runId(), attempt.attemptId());
            return new Outcome(0, 0, ExclusionCounts.none(), true);
        }
    }

    /**
     * Ends the run on the profile stream: whatever was streamed for it is to be discarded downstream.
     * Waits for the broker's ack, so the marker is durable before the run request is acknowledged.
     */
    public void sendCancelled(UUID runId, UUID attemptId) throws Exception {
        stream.send(codec.encodeBytes(
                        Topics.PROFILES, runId.toString(), source, new ProfileStreamCancelled(runId, attemptId)))
                .get(config.stream().ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Ends the run on the profile stream after resolution gave up on it: whatever was streamed is to be discarded.
     * Waits for the broker's ack, so the marker is durable before the failure is recorded.
     */
    public void sendAbandoned(UUID runId, String reason) throws Exception {
        stream.send(codec.encodeBytes(
                        Topics.PROFILES, runId.toString(), source, new ProfileStreamAbandoned(runId, reason)))
                .get(config.stream().ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the cursor when the run is cancelled mid-stream. */
    private static final class CancelledWhileStreaming extends RuntimeException {
        CancelledWhileStreaming() {
            super("run cancelled", null, false, false);
        }
    }

    /** How many matched profiles between two looks at the cancellations (a set lookup, but per row adds up). */
    private static final int CANCEL_CHECK_EVERY = 1000;

    /**
     * The attempt's profiles waiting to be sent as one {@link ProfilesStreamed}: one set of CloudEvents headers
     * and one event id per batch instead of per profile. Holds at most one batch.
     */
    private final class Batch {
        private final RunRequested run;
        private final Attempt attempt;
        private final String key;
        private final ProfileBatch rows;
        /** The attempt's running counts (see streamAll), and what of them the metrics already have. */
        private final long[] counts;

        private final long[] counted = new long[9];
        private long nextSeq = 1;

        Batch(RunRequested run, Attempt attempt, String key, long[] counts) {
            this.run = run;
            this.attempt = attempt;
            this.key = key;
            this.rows = new ProfileBatch(json);
            this.counts = counts;
        }

        /** Moves the metrics by what was streamed and excluded since the last batch: per batch, never per row. */
        void count(int streamed) {
            resolved.increment(streamed);
            for (int i = 2; i < counts.length; i++) {
                if (counts[i] != counted[i]) {
                    excluded[i].increment(counts[i] - counted[i]);
                    counted[i] = counts[i];
                }
            }
        }

        void add(String id, byte[][] values, Callback callback) {
            rows.add(id, values);
            if (rows.full()) {
                send(callback);
            }
        }

        void send(Callback callback) {
            if (rows.isEmpty()) {
                count(0);
                return;
            }
            int size = rows.size();
            count(size);
            stream.send(
                    codec.encodeBytes(
                            Topics.PROFILES,
                            key,
                            source,
                            EventType.PROFILES_STREAMED,
                            rows.drain(run.runId(), attempt.attemptId(), nextSeq)),
                    callback);
            nextSeq += size;
        }
    }

    /**
     * Progress is advisory: sent without waiting and not through the outbox (the exact counts follow in
     * {@code AudienceResolved}), so it never slows the stream down or holds a transaction.
     */
    private void sendProgress(RunRequested run, Attempt attempt, long scanned, long streamed) {
        WorkWatch.progressedHere();
        producer.send(codec.encode(
                Topics.AUDIENCE_EVENTS,
                run.runId().toString(),
                source,
                new AudienceResolutionProgressed(
                        run.runId(), attempt.attemptId(), attempt.slice(), attempt.slices(), scanned, streamed)));
    }

    private Outcome streamAll(RunRequested run, Attempt attempt) throws Exception {
        // Opened before the start marker: an attempt that cannot record its members streams nothing.
        try (RunMemberRepository.Recording recording =
                members.open(run.runId(), run.campaignId(), attempt.attemptId())) {
            return streamAll(run, attempt, recording);
        }
    }

    private Outcome streamAll(RunRequested run, Attempt attempt, RunMemberRepository.Recording recording)
            throws Exception {
        String key = run.runId().toString();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Callback callback = (metadata, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        };
        stream.send(
                codec.encodeBytes(
                        Topics.PROFILES,
                        key,
                        source,
                        new ProfileStreamStarted(
                                run.runId(),
                                attempt.attemptId(),
                                run.campaignId(),
                                run.campaignName(),
                                run.spec(),
                                attempt.fields(),
                                run.requestedAt(),
                                attempt.slice(),
                                attempt.slices())),
                callback);
        // matched, streamed, noConsent, noAddress, suppressed, duplicate, holdout, returned, pressure
        long[] counts = new long[9];
        Holdout holdout = new Holdout(run.runId(), attempt.holdoutPercent());
        String[] previousKey = {null};
        // At most one progress event a second per attempt.
        ProgressPace progress = new ProgressPace();
        Batch batch = new Batch(run, attempt, key, counts);
        profiles.forEachMatching(
                attempt.filter(),
                attempt.fields(),
                attempt.exclusions(),
                attempt.slice(),
                attempt.slices(),
                config.stream().fetchSize(),
                profile -> {
                    if (failure.get() != null) {
                        throw new SendFailed(failure.get());
                    }
                    if (counts[0] % CANCEL_CHECK_EVERY == 0) {
                        if (cancellations.isCancelledNow(run.runId())) {
                            throw new CancelledWhileStreaming();
                        }
                        if (progress.due()) {
                            sendProgress(run, attempt, counts[0], counts[1]);
                        }
                    }
                    counts[0]++;
                    switch (profile.reason()) {
                        case MatchedProfile.NO_CONSENT -> {
                            counts[2]++;
                            return;
                        }
                        case MatchedProfile.NO_ADDRESS -> {
                            counts[3]++;
                            return;
                        }
                        case MatchedProfile.SUPPRESSED -> {
                            counts[4]++;
                            return;
                        }
                        case MatchedProfile.RETURNED -> {
                            counts[7]++;
                            return;
                        }
                        case MatchedProfile.PRESSURE -> {
                            counts[8]++;
                            return;
                        }
                        default -> {}
                    }
                    // Rows arrive ordered by dedup key then identity: an eligible row whose key equals the
                    // previous eligible row's key is a duplicate of a lower identity. Only one key is held.
                    String dedupKey = profile.dedupKey();
                    if (dedupKey != null && dedupKey.equals(previousKey[0])) {
                        counts[5]++;
                        return;
                    }
                    previousKey[0] = dedupKey;
                    if (holdout.heldOut(profile.namespace(), profile.identity())) {
                        counts[6]++;
                        recording.heldOut(profile.namespace(), profile.identity(), profile.householdKey());
                        return;
                    }
                    // The row's seq in the stream: batches number their rows from 1 in this same order.
                    recording.streamed(++counts[1], profile.namespace(), profile.identity(), profile.householdKey());
                    batch.add(profile.identity(), profile.values(), callback);
                });
        batch.send(callback);
        stream.flush();
        if (failure.get() != null) {
            throw new SendFailed(failure.get());
        }
        // The members are committed before the completion marker: whoever sees the attempt complete (and so,
        // later, the run delivered) finds them. A crash in between leaves members of an attempt that never
        // completes, deleted by age (see RunMemberRepository).
        recording.commit();
        ExclusionCounts excluded =
                new ExclusionCounts(counts[2], counts[3], counts[4], counts[5], counts[6], counts[7], counts[8]);
        stream.send(codec.encodeBytes(
                        Topics.PROFILES,
                        key,
                        source,
                        new ProfileStreamCompleted(
                                run.runId(),
                                attempt.attemptId(),
                                counts[0],
                                counts[1],
                                excluded,
                                attempt.slice(),
                                attempt.slices())))
                .get(config.stream().ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return new Outcome(counts[0], counts[1], excluded, false);
    }
}
