package io.mailshot.kit.lifecycle;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;
import java.util.UUID;

/** Which replica of the service this process is. */
@ConfigMapping(prefix = "mailshot.instance")
public interface InstanceConfig {

    /**
     * Stable name of this replica (the pod name on Kubernetes, {@code MAILSHOT_INSTANCE_ID}). A process restarted
     * under the same name takes back at once what its predecessor held: its consumers' partitions (static group
     * membership) and its leases on work. Two live replicas must never share it. Unset: every start is a new
     * member, and what a killed process held is freed only after its session or lease times out.
     */
    Optional<String> id();

    /** The stable name, or a name for this process alone. */
    default String idOrRandom() {
        return id().filter(s -> !s.isBlank()).orElseGet(() -> "process-" + UUID.randomUUID());
    }
}
