package io.mailshot.audience.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Tuning of profile ingestion, audience filters and run resolution. */
@ConfigMapping(prefix = "mailshot.audience")
public interface AudienceConfig {

    /** Bulk profile ingestion. */
    Bulk bulk();

    /** Audience filters. */
    Filter filter();

    /** Streaming a run's profiles to Kafka. */
    Stream stream();

    /** The contact history of delivered runs. */
    History history();

    /** The contact history of delivered runs. */
    interface History {

        /**
         * How long a run's members (who each attempt streamed or held out) wait for the run to be delivered. Longer
         * than any run takes from resolution to delivery, retries included; members of runs never delivered
         * (failed, cancelled) are deleted after it.
         */
        @WithDefault("30d")
        Duration memberRetention();

        /** Rows fetched per round trip by the campaign export's cursor; bounds the memory an export uses. */
        @WithDefault("2000")
        int exportFetchSize();
    }

    /** Bulk profile ingestion. */
    interface Bulk {

        /** Profiles upserted per JDBC batch; each batch is its own transaction. */
        @WithDefault("1000")
        int batchSize();

        /**
         * Most JSON bytes held in one batch: a batch is flushed at this size even with fewer profiles, so
         * large profiles cannot multiply into a large heap.
         */
        @WithDefault("8388608")
        int batchBytes();

        /** Most line errors listed in one bulk response; the counts stay exact beyond it. */
        @WithDefault("1000")
        int maxErrors();

        /** Longest accepted NDJSON line in bytes; a longer line is rejected without being held in memory. */
        @WithDefault("1048576")
        int maxLineBytes();
    }

    /** Audience filters. */
    interface Filter {

        /** Most comparisons in one audience filter. */
        @WithDefault("50")
        int maxConditions();

        /** Deepest nesting of and/or/not/parentheses in one audience filter. */
        @WithDefault("16")
        int maxDepth();

        /** Most characters of a text filter. */
        @WithDefault("10000")
        int maxLength();

        /** Most values of one {@code in} condition. */
        @WithDefault("1000")
        int maxValues();
    }

    /** Streaming a run's profiles to Kafka. */
    interface Stream {

        /** Rows fetched per round trip by the resolution cursor; bounds the memory a run uses. */
        @WithDefault("2000")
        int fetchSize();

        /** How long to wait for the broker to acknowledge the completion marker of an attempt. */
        @WithDefault("60s")
        Duration ackTimeout();

        /**
         * Slices each run's resolution is split into (1 to 256), streamed in parallel by the replicas of the
         * consumer group; 1 streams the whole run from the replica that received it. More slices than replicas
         * (times the slice topic's partitions they own) only adds queries.
         */
        @WithDefault("1")
        int slices();
    }
}
