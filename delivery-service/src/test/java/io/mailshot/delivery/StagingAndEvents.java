package io.mailshot.delivery;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The clients of a test that stages files and sends extraction events: the staging bucket (s3proxy) and a Kafka
 * producer, opened before the class's tests and closed after them.
 */
abstract class StagingAndEvents {

    static S3Client s3;
    static KafkaProducer<String, String> producer;

    @BeforeAll
    static void clients() {
        s3 = TestSupport.s3();
        producer = TestSupport.producer();
    }

    @AfterAll
    static void close() {
        producer.close();
        s3.close();
    }
}
