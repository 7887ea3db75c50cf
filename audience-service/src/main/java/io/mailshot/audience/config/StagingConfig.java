package io.mailshot.audience.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The internal S3 bucket where the extraction stages a run's files; read here for a delivered run's placements. */
@ConfigMapping(prefix = "mailshot.staging")
public interface StagingConfig {

    /** S3 endpoint URL, e.g. http://127.0.0.1:9000. */
    String endpoint();

    /** S3 region. */
    @WithDefault("us-east-1")
    String region();

    /** Access key id of the staging bucket's credentials. */
    String accessKeyId();

    /** Secret access key of the staging bucket's credentials. Never logged. */
    String secretAccessKey();

    /** Name of the staging bucket (the extraction-service creates it). */
    @WithDefault("mailshot-staging")
    String bucket();

    /** Path-style addressing (needed by s3proxy and most S3-compatible servers). */
    @WithDefault("true")
    boolean pathStyle();
}
