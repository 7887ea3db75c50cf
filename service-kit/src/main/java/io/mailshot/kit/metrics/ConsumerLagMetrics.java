package io.mailshot.kit.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Consumer lag per consumer group and topic as a gauge: the records of the topic that the group has not committed
 * yet, summed over the topic's partitions. A partition the group never committed counts from its earliest
 * offset, as the group's {@code auto.offset.reset=earliest} would read it.
 *
 * <p>It is the group's <em>committed</em> lag, the figure {@code kafka-consumer-groups.sh} and KEDA's Kafka scaler
 * read, not a client's fetch position: extraction commits only once a run is durable, so an unfinished run counts
 * in full until it is staged. Every replica of a service reports the same figure for its group, so a dashboard
 * takes the max over instances, not the sum.
 *
 * <p>Reactive Messaging channels ({@code mp.messaging.incoming.<channel>.group.id}, with their {@code topic} or
 * {@code topics}) are found in the configuration; a hand-made consumer calls {@link #watch}. One set of admin calls refreshes every gauge at most once per {@code
 * mailshot.metrics.lag-refresh} (10 s by default), whatever the scrape rate; a failed refresh keeps the last values.
 */
@ApplicationScoped
public class ConsumerLagMetrics {

    private static final Logger LOG = Logger.getLogger(ConsumerLagMetrics.class);
    private static final String INCOMING = "mp.messaging.incoming.";
    private static final String GROUP_ID = ".group.id";

    private final MeterRegistry registry;
    private final Config config;
    private final String bootstrapServers;
    private final long refreshNanos;
    /** Group → the topics whose lag it reports. */
    private final Map<String, List<String>> watched = new ConcurrentHashMap<>();
    /** "group topic" → lag at the last refresh. */
    private final Map<String, Long> lags = new ConcurrentHashMap<>();

    private Admin admin;
    private long sampledAt;
    private boolean sampled;

    public ConsumerLagMetrics(
            MeterRegistry registry,
            Config config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "mailshot.metrics.lag-refresh", defaultValue = "10s") Duration refresh) {
        this.registry = registry;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.refreshNanos = refresh.toNanos();
    }

    void register(@Observes StartupEvent event) {
        for (String name : config.getPropertyNames()) {
            if (!name.startsWith(INCOMING) || !name.endsWith(GROUP_ID)) {
                continue;
            }
            String channel = name.substring(INCOMING.length(), name.length() - GROUP_ID.length());
            Optional<String> connector = config.getOptionalValue(INCOMING + channel + ".connector", String.class);
            if (connector.isPresent() && !connector.get().equals("smallrye-kafka")) {
                continue;
            }
            String group = config.getValue(name, String.class);
            // A channel names one topic, a list of topics, or none (then the channel's name is the topic).
            Optional<String> topics = config.getOptionalValue(INCOMING + channel + ".topics", String.class);
            String topic = config.getOptionalValue(INCOMING + channel + ".topic", String.class)
                    .orElse(channel);
            for (String t : topics.map(list -> list.split(",")).orElse(new String[] {topic})) {
                if (!t.isBlank()) {
                    watch(group, t.trim());
                }
            }
        }
    }

    /** Reports the lag of {@code group} on {@code topic} (once, however often it is called). */
    public void watch(String group, String topic) {
        List<String> topics = watched.computeIfAbsent(group, g -> new ArrayList<>());
        synchronized (topics) {
            if (topics.contains(topic)) {
                return;
            }
            topics.add(topic);
        }
        Gauge.builder(Metrics.CONSUMER_LAG, this, m -> m.lag(group, topic))
                .description("Records of the topic not yet committed by the consumer group (the lag KEDA scales on)")
                .tags(Metrics.GROUP, group, Metrics.TOPIC, topic)
                .register(registry);
    }

    synchronized double lag(String group, String topic) {
        refresh();
        return lags.getOrDefault(key(group, topic), 0L);
    }

    void close(@Observes ShutdownEvent event) {
        Admin a;
        synchronized (this) {
            a = admin;
            admin = null;
        }
        if (a != null) {
            a.close(Duration.ofSeconds(2));
        }
    }

    private void refresh() {
        long now = System.nanoTime();
        if (sampled && now - sampledAt < refreshNanos) {
            return;
        }
        sampledAt = now;
        sampled = true;
        try {
            Map<String, Long> fresh = new HashMap<>();
            for (Map.Entry<String, List<String>> entry : watched.entrySet()) {
                List<String> topics;
                synchronized (entry.getValue()) {
                    topics = List.copyOf(entry.getValue());
                }
                fresh.putAll(groupLag(entry.getKey(), topics));
            }
            lags.putAll(fresh);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // A scrape must not fail with the broker: the last values stay until the next refresh succeeds.
            LOG.debugf("consumer lag not refreshed: %s", e.toString());
        }
    }

    private Map<String, Long> groupLag(String group, List<String> topics) throws Exception {
        Admin a = admin();
        Map<String, TopicDescription> described =
                a.describeTopics(topics).allTopicNames().get(5, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed = a.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(5, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new LinkedHashMap<>();
        for (TopicDescription topic : described.values()) {
            topic.partitions().forEach(p -> {
                TopicPartition tp = new TopicPartition(topic.name(), p.partition());
                latest.put(tp, OffsetSpec.latest());
                if (committed.get(tp) == null) {
                    earliest.put(tp, OffsetSpec.earliest());
                }
            });
        }
        Map<TopicPartition, ListOffsetsResultInfo> ends =
                a.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
        Map<TopicPartition, ListOffsetsResultInfo> starts =
                earliest.isEmpty() ? Map.of() : a.listOffsets(earliest).all().get(5, TimeUnit.SECONDS);
        Map<String, Long> result = new HashMap<>();
        topics.forEach(t -> result.put(key(group, t), 0L));
        ends.forEach((tp, end) -> {
            OffsetAndMetadata done = committed.get(tp);
            long from = done != null ? done.offset() : starts.get(tp).offset();
            result.merge(key(group, tp.topic()), Math.max(0, end.offset() - from), Long::sum);
        });
        return result;
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    bootstrapServers,
                    AdminClientConfig.CLIENT_ID_CONFIG,
                    "mailshot-lag-metrics",
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                    5000,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                    5000));
        }
        return admin;
    }

    private static String key(String group, String topic) {
        return Objects.requireNonNull(group) + ' ' + Objects.requireNonNull(topic);
    }
}
