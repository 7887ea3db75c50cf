package io.mailshot.kit.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while a worker is stuck: busy on one run without progress, or failing without a success, for
 * longer than {@code mailshot.health.stall-after}. The response names the worker, the run and the error.
 */
@Readiness
@ApplicationScoped
public class WorkersReadiness implements HealthCheck {

    private final WorkWatch watch;
    private final HealthConfig config;

    public WorkersReadiness(WorkWatch watch, HealthConfig config) {
        this.watch = watch;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        List<String> stalls = watch.stalls(config.stallAfter(), Instant.now());
        HealthCheckResponseBuilder response = HealthCheckResponse.named("workers")
                .status(stalls.isEmpty())
                .withData("stallAfter", config.stallAfter().toString());
        for (int i = 0; i < stalls.size(); i++) {
            response.withData("stalled." + i, stalls.get(i));
        }
        return response.build();
    }
}
