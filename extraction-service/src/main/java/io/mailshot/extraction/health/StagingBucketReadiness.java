package io.mailshot.extraction.health;

import io.mailshot.extraction.client.StagingBucket;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when the staging bucket answers: finished files could not be staged otherwise. */
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
            staging.check();
            return HealthCheckResponse.named("staging-bucket")
                    .up()
                    .withData("bucket", staging.bucket())
                    .build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("staging-bucket")
                    .down()
                    .withData("bucket", staging.bucket())
                    .withData("error", e.getClass().getSimpleName())
                    .build();
        }
    }
}
