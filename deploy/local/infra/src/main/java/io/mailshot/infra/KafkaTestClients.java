package io.mailshot.infra;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
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
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Plain Kafka clients for the services' tests, built here and not by the service: an independent view of what a
 * service put on the broker, and a producer that plays the service upstream. Open one ({@link #recording}) to
 * record some topics for the whole test class, or use the static one-off reads and producers.
 */
public final class KafkaTestClients implements AutoCloseable {

    /**
     * The CloudEvents {@code type} header of the Kafka protocol binding ({@code CloudEventHeaders.TYPE} of the
     * contract; infra does not depend on the contract module).
     */
    public static final String TYPE_HEADER = "ce_type";

    /** A producer of this recorder's, closed with it. */
    public final KafkaProducer<String, String> producer;

    private final KafkaConsumer<String, String> consumer;
    private final Thread recorder;
    private final List<ConsumerRecord<String, String>> recorded = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    private KafkaTestClients(String bootstrapServers, List<String> topics) {
        producer = producer(bootstrapServers);
        consumer = new KafkaConsumer<>(consumerConfig(bootstrapServers));
        consumer.subscribe(topics);
        recorder = new Thread(this::record, "test-event-recorder");
        recorder.start();
    }

    /** Records every record of {@code topics} from their beginning, on a thread of its own, until closed. */
    public static KafkaTestClients recording(String bootstrapServers, String... topics) {
        return new KafkaTestClients(bootstrapServers, List.of(topics));
    }

    /** The broker the service under test uses, from its configuration (set by {@link InfraTestResource}). */
    public static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    /** A new producer to the service's broker; the caller closes it. */
    public static KafkaProducer<String, String> producer() {
        return producer(bootstrap());
    }

    /** A new producer of string keys and values that waits for every replica; the caller closes it. */
    public static KafkaProducer<String, String> producer(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    /**
     * Reads the topic of the service's broker from the beginning until {@code count} records match, or the timeout
     * passes; returns those found.
     */
    public static List<ConsumerRecord<String, String>> read(
            String topic, Predicate<ConsumerRecord<String, String>> wanted, int count, Duration timeout) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(bootstrap()))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && found.size() < count) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (wanted.test(r)) {
                        found.add(r);
                    }
                }
            }
        }
        return found;
    }

    /** A consumer of its own group, from the beginning of each topic. */
    private static Properties consumerConfig(String bootstrapServers) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return c;
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

    /** Records seen on {@code topic} with key {@code key}, optionally only those of one CloudEvents type. */
    public Stream<ConsumerRecord<String, String>> recorded(String topic, UUID key, String type) {
        return recorded.stream()
                .filter(r -> r.topic().equals(topic) && key.toString().equals(r.key()))
                .filter(r -> type == null || type.equals(header(r, TYPE_HEADER)));
    }

    /** The last value of a header as text, or null when the record has none. */
    public static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** A new key whose records land on the same partition of {@code topic} as {@code other}'s (default hashing). */
    public UUID keyOnSamePartitionAs(String topic, UUID other) {
        int partitions = producer.partitionsFor(topic).size();
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
