package io.mailshot.kit.health;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** When a worker of the service counts as stuck. */
@ConfigMapping(prefix = "mailshot.health")
public interface HealthConfig {

    /**
     * A worker busy on one piece of work without progress for this long, or failing without a success for this
     * long, makes the service not ready, naming the run it is stuck on.
     */
    @WithDefault("5m")
    Duration stallAfter();
}
