package io.mailshot.extraction.messaging;

import io.mailshot.events.CloudEventHeaders;
import io.mailshot.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

/** Independent Kafka clients for the tests: a producer of profile streams and a recorder of what the service emits. */
final class KafkaTestClients implements AutoCloseable {

    final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final Thread recorder;
    private final List<ConsumerRecord<String, String>> recorded = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    KafkaTestClients(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(p);

        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "extraction-test-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(c);
        consumer.subscribe(List.of(Topics.EXTRACTION_EVENTS, ProfileStreamConsumer.DEAD_LETTER_TOPIC));
        recorder = new Thread(this::record, "test-event-recorder");
        recorder.start();
    }

    private void record() {
        try {
            while (running) {
                consumer.poll(Duration.ofMillis(200)).forEach(recorded::add);
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    /** Records seen on {@code topic} for run {@code key}, optionally of one CloudEvents type. */
    Stream<ConsumerRecord<String, String>> recorded(String topic, UUID key, String type) {
        return recorded.stream()
                .filter(r -> r.topic().equals(topic) && key.toString().equals(r.key()))
                .filter(r -> type == null || type.equals(header(r, CloudEventHeaders.TYPE)));
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** A new run id whose records land on the same partition as {@code other}'s (same key hashing). */
    UUID runIdOnSamePartitionAs(UUID other) {
        int partitions = producer.partitionsFor(Topics.PROFILES).size();
        int target = partition(other, partitions);
        while (true) {
            UUID candidate = UUID.randomUUID();
            if (partition(candidate, partitions) == target) {
                return candidate;
            }
        }
    }

    private static int partition(UUID key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.toString().getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        recorder.join(10_000);
        producer.close(Duration.ofSeconds(10));
    }
}
