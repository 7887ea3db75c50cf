package io.mailshot.kit.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one Kafka producer of a service, used by the outbox relay and by bulk streams. Idempotent with
 * acks=all, so a retried send never duplicates a record within a partition.
 */
@ApplicationScoped
public class KafkaProducers {

    @Produces
    @ApplicationScoped
    Producer<String, String> producer(KafkaConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.compression());
        props.put(ProducerConfig.LINGER_MS_CONFIG, config.lingerMs());
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, config.batchSize());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    void close(@Disposes Producer<String, String> producer) {
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
