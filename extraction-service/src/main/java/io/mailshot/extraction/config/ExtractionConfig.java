package io.mailshot.extraction.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/** Tuning of the profile-stream consumer, the spill files and the CSV rendering. */
@ConfigMapping(prefix = "mailshot.extraction")
public interface ExtractionConfig {

    /** Folder for the per-attempt spill files; wiped at startup (unfinished runs are replayed from Kafka). */
    @WithDefault("${java.io.tmpdir}/mailshot-extraction-spill")
    Path spillDir();

    /** Kafka consumer group of the profile-stream consumer. */
    @WithDefault("extraction-service")
    String groupId();

    /** Maximum records returned by one poll of the profile stream. */
    @WithDefault("2000")
    int maxPollRecords();

    /** How long one poll waits for records. */
    @WithDefault("1s")
    Duration pollTimeout();

    /** Maximum time between polls before Kafka evicts the consumer; must cover the upload of the largest file. */
    @WithDefault("15m")
    Duration maxPollInterval();

    /** Wait before replaying from the committed offsets after a failure (database or bucket unavailable). */
    @WithDefault("2s")
    Duration retryBackoff();

    /** Prefix values starting with = + - @ tab or CR with a single quote, so spreadsheets do not run them. */
    @WithDefault("true")
    boolean neutraliseFormulas();

    /** Files larger than this are uploaded with a multipart upload; smaller ones in one PUT. */
    @WithDefault("512M")
    MemorySize multipartThreshold();

    /** Part size of multipart uploads (S3 minimum 5 MiB). */
    @WithDefault("16M")
    MemorySize partSize();

    /**
     * Parts of one file uploaded at the same time. Parts are read from the staged file on disk, so this costs
     * connections, not memory; one request at a time left the staging upload at the store's per-request speed.
     */
    @WithDefault("4")
    int uploadConcurrency();

    /** How many finished run ids are remembered in memory, so replays skip them without a database look-up. */
    @WithDefault("10000")
    int finishedCacheSize();

    /** Rows sorted in memory per chunk before the chunk is spilled to disk (external merge sort); bounds heap use. */
    @WithDefault("50000")
    int sortChunkRows();

    /** Staged objects of runs completed longer ago than this are deleted from the staging bucket. */
    @WithDefault("7d")
    Duration retention();

    /** How often the retention clean-up runs. */
    @WithDefault("1h")
    Duration retentionCheckEvery();
}
