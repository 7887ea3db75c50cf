package io.mailshot.delivery.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The delivery queue's workers and the transports' time-outs; attempts and back-off are the kit's RetryPolicy. */
@ConfigMapping(prefix = "mailshot.delivery")
public interface DeliveryConfig {

    /**
     * Deliveries attempted at the same time by this replica. Each holds a connection to its destination, and a
     * slow or failing destination occupies one worker, not the queue.
     */
    @WithDefault("4")
    int workers();

    /**
     * How long a worker's claim on a delivery lasts without renewal (renewed while it works): when a replica dies
     * without a stable instance id, its deliveries are taken by another worker after this.
     */
    @WithDefault("30s")
    Duration lease();

    /** How often the queue looks for due deliveries written by other replicas or due after a back-off. */
    @WithDefault("500ms")
    Duration pollInterval();

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
