package io.mailshot.campaign.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Where the other Mailshot services answer, for reference checks. */
@ConfigMapping(prefix = "mailshot.peers")
public interface PeerServicesConfig {

    /** Base URL of the audience-service, e.g. http://audience-service:8082. */
    String audienceUrl();

    /** Base URL of the delivery-service, e.g. http://delivery-service:8084. */
    String deliveryUrl();

    /** Base URL of the extraction-service, e.g. http://extraction-service:8083 (expression checks, previews). */
    String extractionUrl();

    /** How long a reference check may take before the request is answered with 503. */
    @WithDefault("5s")
    Duration timeout();
}
