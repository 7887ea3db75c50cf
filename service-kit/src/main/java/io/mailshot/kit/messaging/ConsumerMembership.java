package io.mailshot.kit.messaging;

import io.mailshot.kit.lifecycle.InstanceConfig;
import io.smallrye.reactive.messaging.ClientCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.eclipse.microprofile.config.Config;

/**
 * How every Kafka consumer of a service joins its group: with the kit's session time-out and heartbeat, and
 * as a static member named {@code <instance id>.<consumer>} when the replica has a stable
 * {@link InstanceConfig#id() instance id}. A replica killed and restarted then takes its partitions back as
 * soon as it is up; without an id the group notices the dead member after the (short) session time-out.
 * Applied to the SmallRye channels here, and by hand to the service's own consumers through {@link #apply}.
 */
@ApplicationScoped
public class ConsumerMembership implements ClientCustomizer<Map<String, Object>> {

    private final KafkaConfig config;
    private final InstanceConfig instance;

    public ConsumerMembership(KafkaConfig config, InstanceConfig instance) {
        this.config = config;
        this.instance = instance;
    }

    @Override
    public Map<String, Object> customize(String channel, Config channelConfig, Map<String, Object> clientConfig) {
        if (clientConfig.containsKey(ConsumerConfig.GROUP_ID_CONFIG)) {
            apply(clientConfig, channel);
        }
        return clientConfig;
    }

    /** Adds the membership settings to a consumer's configuration; {@code consumer} names it within the replica. */
    public void apply(Map<? super String, Object> consumerConfig, String consumer) {
        consumerConfig.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int)
                config.sessionTimeout().toMillis());
        consumerConfig.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int)
                config.heartbeatInterval().toMillis());
        instance.id()
                .filter(id -> !id.isBlank())
                .ifPresent(id -> consumerConfig.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id + "." + consumer));
    }
}
