package io.mailshot.kit.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The Kafka producers of a service: text values for the outbox relay and events, raw bytes for bulk streams
 * whose payload is written as UTF-8 JSON straight from its source (no String made and encoded again per
 * record). Both idempotent with acks=all, so a retried send never duplicates a record within a partition.
 * Records whose order matters (one key of one topic) must all go through the same producer: two producers
 * do not order their sends between them.
 */
// Plain Kafka producers, not SmallRye emitters: the outbox relay must know that a record is acknowledged (acks=all)
// before it marks the row published, and the profile stream sends pre-encoded bytes in order on one producer.
@ApplicationScoped
public class KafkaProducers {

    @Produces
    @ApplicationScoped
    Producer<String, String> producer(
            KafkaConfig config, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        return new KafkaProducer<>(properties(config, bootstrapServers, StringSerializer.class));
    }

    @Produces
    @ApplicationScoped
    Producer<String, byte[]> bytesProducer(
            KafkaConfig config, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        return new KafkaProducer<>(properties(config, bootstrapServers, ByteArraySerializer.class));
    }

    private static Properties properties(KafkaConfig config, String bootstrapServers, Class<?> valueSerializer) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.compression());
        props.put(ProducerConfig.LINGER_MS_CONFIG, config.lingerMs());
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, config.batchSize());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, valueSerializer.getName());
        return props;
    }

    void close(@Disposes Producer<String, String> producer) {
        producer.close(Duration.ofSeconds(10));
    }

    void closeBytes(@Disposes Producer<String, byte[]> producer) {
        producer.close(Duration.ofSeconds(10));
    }
}
