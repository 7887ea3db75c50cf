package io.mailshot.audience.messaging;

import io.mailshot.audience.service.profile.ProfileService;
import io.mailshot.events.CloudEventHeaders;
import io.mailshot.kit.messaging.ConsumerGuard;
import io.mailshot.kit.messaging.MalformedEventException;
import io.mailshot.kit.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code mailshot.profile-upserts}: one CloudEvent (binary mode, type
 * {@value #TYPE}) per profile, its data the same JSON as an NDJSON line. The profile's {@code eventTime},
 * else {@code ce_time}, else the record timestamp decides which write wins. A record that is not such an event
 * or not a valid profile (its data not UTF-8 included: it is never stored altered) goes to
 * {@code mailshot.dead-letter.audience} with the reason, its value as received. The upsert is
 * idempotent (same document, same event time), so redelivery needs no processed-event log.
 */
@ApplicationScoped
public class ProfileUpsertConsumer {

    /** The CloudEvents type of a profile upsert. */
    public static final String TYPE = "io.mailshot.profile.upserted.v1";

    /** Profile upserts refused because their identity was erased, per {@code reason}. */
    public static final String REFUSED_METRIC = "mailshot.profile.upserts.refused";

    private static final Logger LOG = Logger.getLogger(ProfileUpsertConsumer.class);

    private final ProfileService profiles;
    private final ConsumerGuard guard;
    private final Counter erasedRefused;

    public ProfileUpsertConsumer(ProfileService profiles, ConsumerGuard guard, MeterRegistry registry) {
        this.profiles = profiles;
        this.guard = guard;
        this.erasedRefused = registry.counter(REFUSED_METRIC, Metrics.REASON, "erased");
    }

    @Incoming("profile-upserts-in")
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) throws Exception {
        if (!"1.0".equals(header(record, CloudEventHeaders.SPEC_VERSION))) {
            throw new MalformedEventException("ce_specversion must be 1.0");
        }
        String id = header(record, CloudEventHeaders.ID);
        if (id == null || id.isBlank()) {
            throw new MalformedEventException("missing header " + CloudEventHeaders.ID);
        }
        String type = header(record, CloudEventHeaders.TYPE);
        if (!TYPE.equals(type)) {
            // The topic carries only profile upserts: anything else is a producer mistake worth seeing.
            throw new MalformedEventException("ce_type must be " + TYPE);
        }
        Instant time = Instant.ofEpochMilli(record.timestamp());
        String ceTime = header(record, CloudEventHeaders.TIME);
        if (ceTime != null) {
            try {
                time = OffsetDateTime.parse(ceTime).toInstant();
            } catch (DateTimeParseException e) {
                throw new MalformedEventException("ce_time is not an RFC 3339 timestamp");
            }
        }
        if (record.value() == null) {
            throw new MalformedEventException("event " + abbreviate(id) + " has no data");
        }
        // The value is read as bytes: a String deserializer would have replaced bytes that are not UTF-8.
        Instant eventTime = time;
        guard.handle("profile-upserts-in", "profile upsert " + abbreviate(id), () -> {
            ProfileService.Upserted upserted = profiles.upsertOne(record.value(), eventTime);
            if (upserted.erased()) {
                // Not stored, and not dead-lettered either: the dead letter would keep the erased person's data.
                erasedRefused.increment();
                LOG.infof("profile upsert %s refused: %s", abbreviate(id), upserted.reason());
            } else if (!upserted.stored()) {
                throw new MalformedEventException(
                        "event " + abbreviate(id) + " is not a valid profile: " + upserted.reason());
            }
        });
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        String printable = s.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 80 ? printable.substring(0, 80) + "…" : printable;
    }
}
