package io.mailshot.delivery.config;

import io.smallrye.config.ConfigMapping;

/** The internal staging bucket that extraction-service writes and this service reads from. */
@ConfigMapping(prefix = "mailshot.staging")
public interface StagingConfig {

    /** S3 endpoint URL, e.g. http://127.0.0.1:9000 for the local s3proxy. */
    String endpoint();

    /** S3 region. */
    String region();

    /** Access key id of the staging bucket. */
    String accessKeyId();

    /** Secret access key of the staging bucket. */
    String secretAccessKey();

    /** Name of the staging bucket; staged files outside it are refused. */
    String bucket();
}
