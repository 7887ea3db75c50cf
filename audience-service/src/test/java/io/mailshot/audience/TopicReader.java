package io.mailshot.audience;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** A plain Kafka consumer in a fresh group that reads a topic from the beginning, independent of the service. */
final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> records = new ArrayList<>();

    TopicReader(String bootstrapServers, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(topic));
    }

    /** Polls until some record with {@code key} satisfies the predicate; returns that key's records. */
    List<ConsumerRecord<String, String>> awaitKey(String key, Predicate<List<ConsumerRecord<String, String>>> done) {
        await().atMost(Duration.ofSeconds(120))
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    poll();
                    return done.test(forKey(key));
                });
        return forKey(key);
    }

    /** Reads until this consumer has seen everything the topic held when called. */
    void drainToEnd() {
        await().atMost(Duration.ofSeconds(60))
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    poll();
                    if (consumer.assignment().isEmpty()) {
                        return false;
                    }
                    Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
                    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
                });
    }

    List<ConsumerRecord<String, String>> forKey(String key) {
        return records.stream().filter(r -> key.equals(r.key())).toList();
    }

    private void poll() {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
