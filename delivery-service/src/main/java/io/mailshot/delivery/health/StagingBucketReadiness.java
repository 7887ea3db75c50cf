package io.mailshot.delivery.health;

import io.mailshot.delivery.client.StagingBucket;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when the staging bucket, where every delivered file comes from, can be reached. */
@Readiness
@ApplicationScoped
public class StagingBucketReadiness implements HealthCheck {

    private final StagingBucket staging;

    public StagingBucketReadiness(StagingBucket staging) {
        this.staging = staging;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            staging.ping();
            return HealthCheckResponse.up("staging-bucket");
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("staging-bucket")
                    .down()
                    .withData("error", e.getClass().getSimpleName())
                    .build();
        }
    }
}
