package io.mailshot.kit.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The names of Mailshot's domain metrics, in one place: the services register them under these names and the
 * Grafana dashboard ({@code deploy/grafana}) may query only the Prometheus series listed by {@link #series()}.
 *
 * <p>Tags stay low-cardinality on purpose: a stage, a transport, an outcome or a reason class, never a run id,
 * profile data or anything of a routing's secrets. Counters are incremented per batch, part or event, never per row.
 */
public final class Metrics {

    /** Profiles streamed to extraction, counted per published batch (audience-service). */
    public static final String PROFILES_RESOLVED = "mailshot.profiles.resolved";
    /** Profiles matched but left out, tag {@link #REASON} (audience-service). */
    public static final String PROFILES_EXCLUDED = "mailshot.profiles.excluded";
    /** Rows rendered and written to the spill, counted per profile batch (extraction-service). */
    public static final String ROWS_RENDERED = "mailshot.rows.rendered";
    /** Rows rejected by the layout's rules, counted per profile batch (extraction-service). */
    public static final String ROWS_REJECTED = "mailshot.rows.rejected";
    /** Bytes of parts uploaded to the staging bucket, counted per part (extraction-service). */
    public static final String STAGED_BYTES = "mailshot.staged.bytes";
    /** Parts uploaded to the staging bucket (extraction-service). */
    public static final String STAGED_PARTS = "mailshot.staged.parts";
    /** Bytes written to destinations by successful deliveries, tag {@link #TRANSPORT} (delivery-service). */
    public static final String DELIVERED_BYTES = "mailshot.delivered.bytes";
    /** Files published by successful deliveries, tag {@link #TRANSPORT} (delivery-service). */
    public static final String DELIVERED_FILES = "mailshot.delivered.files";
    /** Delivery attempts, tags {@link #TRANSPORT} and {@link #OUTCOME} (delivery-service). */
    public static final String DELIVERY_ATTEMPTS = "mailshot.delivery.attempts";
    /** Failed delivery attempts, tags {@link #TRANSPORT} and {@link #REASON} (delivery-service). */
    public static final String DELIVERY_FAILURES = "mailshot.delivery.failures";
    /** How long a stage of a run took from its start to its end, tags {@link #STAGE} and {@link #OUTCOME}. */
    public static final String STAGE_DURATION = "mailshot.stage.duration";
    /** Outbox rows not yet published to Kafka (every service, from the kit). */
    public static final String OUTBOX_BACKLOG = "mailshot.outbox.backlog";
    /** Age in seconds of the oldest unpublished outbox row, 0 when the outbox is empty (every service). */
    public static final String OUTBOX_OLDEST_AGE = "mailshot.outbox.oldest.age";
    /** Records a consumer group has not committed yet, tags {@link #GROUP} and {@link #TOPIC} (every service). */
    public static final String CONSUMER_LAG = "mailshot.consumer.lag";

    public static final String STAGE = "stage";
    public static final String OUTCOME = "outcome";
    public static final String TRANSPORT = "transport";
    public static final String REASON = "reason";
    public static final String GROUP = "group";
    public static final String TOPIC = "topic";
    /** Common tag of every meter: the service's application name. */
    public static final String SERVICE = "service";

    public static final String STAGE_RESOLUTION = "resolution";
    public static final String STAGE_EXTRACTION = "extraction";
    public static final String STAGE_DELIVERY = "delivery";

    private static final List<String> COUNTERS = List.of(
            PROFILES_RESOLVED,
            PROFILES_EXCLUDED,
            ROWS_RENDERED,
            ROWS_REJECTED,
            STAGED_BYTES,
            STAGED_PARTS,
            DELIVERED_BYTES,
            DELIVERED_FILES,
            DELIVERY_ATTEMPTS,
            DELIVERY_FAILURES);

    private Metrics() {}

    /**
     * Records that one run's {@code stage} ended with {@code outcome} after {@code took}: the stage-duration histogram,
     * the same meter in every service (registered once, found again by name and tags afterwards).
     */
    public static void stageEnded(MeterRegistry registry, String stage, String outcome, Duration took) {
        Timer.builder(STAGE_DURATION)
                .tags(STAGE, stage, OUTCOME, outcome)
                .publishPercentileHistogram()
                .register(registry)
                .record(took);
    }

    /** The Prometheus series name of a counter: dots become underscores, {@code _total} is appended. */
    public static String counterSeries(String name) {
        return prometheus(name) + "_total";
    }

    /** Dots become underscores, as the Prometheus registry names a meter without a base unit. */
    public static String prometheus(String name) {
        return name.replace('.', '_');
    }

    /** Every Prometheus series the domain metrics produce: what a dashboard may query. */
    public static List<String> series() {
        List<String> all = new ArrayList<>();
        COUNTERS.forEach(c -> all.add(counterSeries(c)));
        String timer = prometheus(STAGE_DURATION) + "_seconds";
        all.addAll(List.of(timer + "_bucket", timer + "_count", timer + "_sum", timer + "_max"));
        all.add(prometheus(OUTBOX_BACKLOG));
        all.add(prometheus(OUTBOX_OLDEST_AGE) + "_seconds");
        all.add(prometheus(CONSUMER_LAG));
        return List.copyOf(all);
    }
}
