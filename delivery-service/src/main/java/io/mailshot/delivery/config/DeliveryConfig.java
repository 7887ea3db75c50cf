package io.mailshot.delivery.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The transports' time-outs. Attempts and back-off are the kit's RetryPolicy, workers the kit's DeferredWork. */
@ConfigMapping(prefix = "mailshot.delivery")
public interface DeliveryConfig {

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
