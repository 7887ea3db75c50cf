package io.mailshot.extraction.messaging;

import io.mailshot.events.CloudEventHeaders;
import io.mailshot.events.Topics;
import io.mailshot.extraction.config.ExtractionConfig;
import io.mailshot.extraction.service.run.RunExtractor;
import io.mailshot.kit.health.WorkWatch;
import io.mailshot.kit.messaging.ConsumerMembership;
import io.mailshot.kit.messaging.EventCodec;
import io.mailshot.kit.messaging.EventTracing;
import io.mailshot.kit.messaging.IncomingEvent;
import io.mailshot.kit.messaging.MalformedEventException;
import io.mailshot.kit.metrics.ConsumerLagMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Consumes the profile stream on a dedicated thread with manual offset control.
 *
 * <p>Offsets are the crash-safety mechanism: a partition's committed offset never passes the first record
 * of a run that is not finished (staged and recorded). A killed instance therefore replays every
 * unfinished run from its start and rebuilds its file from scratch; finished runs are skipped.
 *
 * <p>A failure while handling a run's record is that run's (see {@link RunExtractor#runFailed}): the other
 * runs of the batch go on, and the run is read again from its first record once its back-off has passed. Only
 * what cannot be pinned on one run (the database or the broker away) rewinds everything.
 */
@ApplicationScoped
public class ProfileStreamConsumer {

    private static final Logger LOG = Logger.getLogger(ProfileStreamConsumer.class);
    static final String DEAD_LETTER_TOPIC = Topics.DEAD_LETTER_PREFIX + "extraction";

    private final ExtractionConfig config;
    private final RunExtractor extractor;
    private final EventCodec codec;
    /** Dead letters keep the record's value byte for byte, whatever it holds. */
    private final Producer<String, byte[]> producer;

    private final String bootstrapServers;
    private final ConsumerMembership membership;
    private final WorkWatch.Worker watch;
    private final ConsumerLagMetrics lag;
    private final EventTracing tracing;

    /** Offset of the last record handled, per partition, since it was assigned. Consumer thread only. */
    private final Map<Integer, Long> lastHandled = new HashMap<>();
    /** Offsets committed by this instance, to skip needless commits. Consumer thread only. */
    private final Map<Integer, Long> lastCommitted = new HashMap<>();

    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread thread;

    public ProfileStreamConsumer(
            ExtractionConfig config,
            RunExtractor extractor,
            EventCodec codec,
            Producer<String, byte[]> producer,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            ConsumerMembership membership,
            WorkWatch watch,
            ConsumerLagMetrics lag,
            EventTracing tracing) {
        this.membership = membership;
        this.lag = lag;
        this.tracing = tracing;
        this.watch = watch.worker("profile-stream-consumer");
        this.config = config;
        this.extractor = extractor;
        this.codec = codec;
        this.producer = producer;
        this.bootstrapServers = bootstrapServers;
    }

    void onStart(@Observes StartupEvent event) {
        // In-memory state died with the previous process; its runs will be replayed from committed offsets.
        extractor.wipeSpill();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords());
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int)
                config.maxPollInterval().toMillis());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        // Raw bytes: the JSON is parsed straight from its UTF-8, without a String of every batch first.
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        membership.apply(props, "profiles");
        // Not a Reactive Messaging channel, so the lag gauge is told of it.
        lag.watch(config.groupId(), Topics.PROFILES);
        // Hand-made, not a Reactive Messaging channel: exactly-once needs commits held at an unfinished run's first
        // record and seeks back to a parked run's, per partition, which a managed channel does not let us control.
        consumer = new KafkaConsumer<>(props);
        // Its own thread, not a managed pool's: the poll loop runs for the life of the process and a KafkaConsumer
        // must stay on one thread.
        thread = new Thread(this::run, "profile-stream-consumer");
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping.countDown();
        KafkaConsumer<String, byte[]> c = consumer;
        Thread t = thread;
        if (c != null) {
            c.wakeup();
        }
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the consumer thread is running (readiness). */
    public boolean isAlive() {
        Thread t = thread;
        return t != null && t.isAlive() && stopping.getCount() > 0;
    }

    private boolean stopRequested() {
        return stopping.getCount() == 0;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.PROFILES), new Rebalance());
            while (!stopRequested()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(config.pollTimeout());
                try {
                    for (ConsumerRecord<String, byte[]> record : records) {
                        handle(record);
                    }
                    rewindForRetries();
                    watch.idle();
                } catch (WakeupException e) {
                    throw e;
                } catch (Exception e) {
                    watch.failing(null, e.toString());
                    recover(e);
                    continue;
                }
                try {
                    commit(consumer.assignment());
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    // The broker is away (a restart): what is in hand stays valid, the next round commits it.
                    LOG.warnf("offsets not committed, next round tries again: %s", e.getMessage());
                    lastCommitted.clear();
                }
            }
        } catch (WakeupException e) {
            // Shutdown.
        } catch (RuntimeException e) {
            LOG.error("profile-stream consumer stopped", e);
        } finally {
            try {
                commit(consumer.assignment());
            } catch (RuntimeException e) {
                LOG.debugf("final commit skipped: %s", e.getMessage());
            }
            extractor.dropAll();
            consumer.close(Duration.ofSeconds(10));
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) throws Exception {
        IncomingEvent event;
        try {
            event = codec.decodeBytes(record);
        } catch (MalformedEventException e) {
            deadLetter(record, e.getMessage());
            lastHandled.put(record.partition(), record.offset());
            return;
        }
        UUID runId = runId(record.key());
        watch.busy(runId == null ? "record " + record.partition() + "@" + record.offset() : "run " + runId);
        // In the run's trace (a span per control event, none per batch), so what it publishes carries it on.
        tracing.consume("profiles", event, () -> {
            try {
                extractor.handle(event, record.partition(), record.offset());
            } catch (WakeupException e) {
                throw e;
            } catch (Exception e) {
                if (runId == null || !extractor.isOpen(runId)) {
                    throw e; // not one run's: the database or the broker (the consumer rewinds everything)
                }
                extractor.runFailed(runId, e);
            }
        });
        lastHandled.put(record.partition(), record.offset());
    }

    /** The run a record belongs to (its key), or null when the key is not a run id. */
    private static UUID runId(String key) {
        if (key == null) {
            return null;
        }
        try {
            return UUID.fromString(key);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Rewinds each partition with a parked run whose back-off has passed to that run's first record, so it is
     * written again from scratch. Records of other runs read again on the way are skipped (finished runs) or
     * dropped as repeats (open runs keep their place).
     */
    private void rewindForRetries() {
        Map<Integer, Long> rewind = new HashMap<>();
        for (RunExtractor.Parked due : extractor.dueRetries(Instant.now())) {
            rewind.merge(due.partition(), due.firstOffset(), Math::min);
            LOG.infof("run %s: try %d after: %s", due.runId(), due.tries() + 1, due.reason());
        }
        Set<TopicPartition> assigned = consumer.assignment();
        rewind.forEach((partition, offset) -> {
            TopicPartition tp = new TopicPartition(Topics.PROFILES, partition);
            if (assigned.contains(tp)) {
                consumer.seek(tp, offset);
            }
        });
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason)
            throws InterruptedException, ExecutionException, TimeoutException {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.remove(CloudEventHeaders.DEAD_LETTER_REASON);
        ProducerRecord<String, byte[]> dead =
                new ProducerRecord<>(DEAD_LETTER_TOPIC, null, record.key(), record.value(), headers);
        dead.headers().add(CloudEventHeaders.DEAD_LETTER_REASON, reason.getBytes(StandardCharsets.UTF_8));
        producer.send(dead).get(30, TimeUnit.SECONDS);
        LOG.warnf("dead-lettered record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), reason);
    }

    /**
     * Commits, per partition, the first record of its oldest unfinished run, or past the last handled
     * record when every run seen is finished.
     */
    private void commit(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Long target = safeOffset(tp.partition());
            if (target != null && !target.equals(lastCommitted.get(tp.partition()))) {
                offsets.put(tp, new OffsetAndMetadata(target));
            }
        }
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
            offsets.forEach((tp, o) -> lastCommitted.put(tp.partition(), o.offset()));
        }
    }

    private Long safeOffset(int partition) {
        OptionalLong oldest = extractor.oldestOpenOffset(partition);
        if (oldest.isPresent()) {
            return oldest.getAsLong();
        }
        Long last = lastHandled.get(partition);
        return last == null ? null : last + 1;
    }

    /**
     * After a failure (database or bucket unavailable): commit what is safe, forget every unfinished run,
     * wait, and replay from the committed offsets, exactly as after a crash.
     */
    private void recover(Exception failure) {
        LOG.errorf("profile stream processing failed, replaying unfinished runs: %s", failure.toString());
        Set<TopicPartition> assigned = consumer.assignment();
        try {
            commit(assigned);
        } catch (RuntimeException e) {
            LOG.warnf("could not commit before replay: %s", e.getMessage());
        }
        extractor.dropAll();
        lastHandled.clear();
        lastCommitted.clear();
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
            for (TopicPartition tp : assigned) {
                OffsetAndMetadata offset = committed.get(tp);
                if (offset == null) {
                    consumer.seekToBeginning(List.of(tp));
                } else {
                    consumer.seek(tp, offset.offset());
                }
            }
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warnf("could not rewind: %s", e.getMessage());
        }
        try {
            stopping.await(config.retryBackoff().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.countDown();
        }
    }

    /** Commits what is safe for partitions moving away, then forgets their unfinished runs. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                commit(partitions);
            } catch (RuntimeException e) {
                LOG.warnf("could not commit revoked partitions: %s", e.getMessage());
            }
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            LOG.infof("profile stream partitions assigned: %s", partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                extractor.drop(tp.partition());
                lastHandled.remove(tp.partition());
                lastCommitted.remove(tp.partition());
            }
        }
    }
}
