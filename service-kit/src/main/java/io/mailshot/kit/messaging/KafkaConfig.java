package io.mailshot.kit.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Tuning of the kit's own Kafka producer. The brokers come from {@code kafka.bootstrap.servers}. */
@ConfigMapping(prefix = "mailshot.kafka")
public interface KafkaConfig {

    /** Producer compression: none, gzip, snappy, lz4 or zstd. */
    @WithDefault("lz4")
    String compression();

    /** How long the producer waits to fill a batch, in milliseconds. */
    @WithDefault("5")
    int lingerMs();

    /** Producer batch size in bytes. */
    @WithDefault("262144")
    int batchSize();
}
