package io.mailshot.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** A single-node Apache Kafka broker in KRaft mode (combined broker and controller). */
public final class KafkaServer implements AutoCloseable {

    private final ForkedServer process;
    private final Path dir;
    private final int port;

    private KafkaServer(ForkedServer process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    public static KafkaServer start(Path dir, int port) {
        int controllerPort = InfraPaths.freePort();
        Path config = dir.resolve("server.properties");
        Path data = dir.resolve("data");
        try {
            Files.createDirectories(dir);
            Files.writeString(
                    config,
                    String.join(
                                    "\n",
                                    "process.roles=broker,controller",
                                    "node.id=1",
                                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:"
                                            + controllerPort,
                                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                                    "controller.listener.names=CONTROLLER",
                                    "inter.broker.listener.name=PLAINTEXT",
                                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                                    "log.dirs=" + data.toAbsolutePath(),
                                    // One broker: every internal topic has a single replica.
                                    "offsets.topic.replication.factor=1",
                                    "transaction.state.log.replication.factor=1",
                                    "transaction.state.log.min.isr=1",
                                    "share.coordinator.state.topic.replication.factor=1",
                                    "share.coordinator.state.topic.min.isr=1",
                                    "num.partitions=3",
                                    "auto.create.topics.enable=true",
                                    // Consumers join immediately instead of waiting 3 s for more members.
                                    "group.initial.rebalance.delay.ms=0",
                                    "log.retention.hours=168",
                                    "")
                            + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path logs = dir.resolve("logs");
        if (!Files.exists(data.resolve("meta.properties"))) {
            ForkedServer.runTool(
                    "kafka-format",
                    "kafka",
                    logs,
                    "kafka.tools.StorageTool",
                    List.of("format", "-t", clusterId(), "-c", config.toString(), "--ignore-formatted"),
                    Duration.ofSeconds(60));
        }
        ForkedServer server = ForkedServer.start(
                "kafka",
                "kafka",
                logs,
                // The serial collector, as for the services: on two cores G1's concurrent threads cost more
                // CPU than the pauses of a 512 MB heap whose garbage is request buffers.
                List.of(
                        "-Xms256m",
                        "-Xmx512m",
                        "-XX:+UseSerialGC",
                        "-Dlog4j2.level=WARN",
                        "-Dkafka.logs.dir=" + logs.toAbsolutePath()),
                "kafka.Kafka",
                List.of(config.toString()));
        server.awaitPort(port, Duration.ofSeconds(60));
        return new KafkaServer(server, dir, port);
    }

    /** SIGKILL of the broker, then a new one on the same port and data: what a crashed broker pod does. */
    public KafkaServer killAndRestart() {
        process.kill();
        return start(dir, port);
    }

    /**
     * A KRaft cluster id: a base64url-encoded UUID of 22 characters. One that starts with '-' would be
     * read as an option by the storage tool's argument parser (1 start in 64), so draw again.
     */
    static String clusterId() {
        while (true) {
            UUID uuid = UUID.randomUUID();
            ByteBuffer buffer = ByteBuffer.allocate(16);
            buffer.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public ForkedServer process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}
