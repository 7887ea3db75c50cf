package io.mailshot.delivery.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How hard delivery tries before it gives up on a run. */
@ConfigMapping(prefix = "mailshot.delivery")
public interface DeliveryConfig {

    /** Attempts per run (the first one included) before a transient failure becomes final. */
    @WithDefault("5")
    int maxAttempts();

    /** Wait before the second attempt; doubled each time, with jitter. */
    @WithDefault("1s")
    Duration initialBackoff();

    /** Upper bound of the wait between two attempts. */
    @WithDefault("30s")
    Duration maxBackoff();

    /** Timeout of an SFTP connect, key exchange, authentication or single SFTP request. */
    @WithDefault("30s")
    Duration sftpTimeout();

    /** Connect/read timeout of the S3 HTTP client used for destinations. */
    @WithDefault("60s")
    Duration s3Timeout();

    /** Connect/response/read timeout of the HTTP client used for Azure Blob destinations (per request try). */
    @WithDefault("60s")
    Duration azureTimeout();
}
