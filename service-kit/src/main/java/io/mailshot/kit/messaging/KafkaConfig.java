package io.mailshot.kit.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Tuning of the service's Kafka clients. The brokers come from {@code kafka.bootstrap.servers}. */
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

    /**
     * How long the group waits for a silent member before it gives its partitions to others. Heartbeats come
     * from the client's own thread, so a long piece of work does not count against it (that is
     * max.poll.interval's job); the broker must allow it (group.min.session.timeout.ms, 6 s by default).
     */
    @WithDefault("10s")
    Duration sessionTimeout();

    /** Interval of the consumer's heartbeats: a third of the session time-out or less. */
    @WithDefault("2s")
    Duration heartbeatInterval();
}
