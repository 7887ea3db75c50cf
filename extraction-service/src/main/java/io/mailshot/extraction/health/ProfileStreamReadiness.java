package io.mailshot.extraction.health;

import io.mailshot.extraction.messaging.ProfileStreamConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the profile-stream consumer thread runs: without it no file is ever produced. */
@Readiness
@ApplicationScoped
public class ProfileStreamReadiness implements HealthCheck {

    private final ProfileStreamConsumer consumer;

    public ProfileStreamReadiness(ProfileStreamConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("profile-stream-consumer")
                .status(consumer.isAlive())
                .build();
    }
}
