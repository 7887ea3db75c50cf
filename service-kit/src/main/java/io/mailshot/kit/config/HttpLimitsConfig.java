package io.mailshot.kit.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/**
 * Request body limits, sized per endpoint: every endpoint gets the small {@code max-body-size}; the streamed
 * bulk endpoints (listed by path) get their own, large one. Checked before a body is read.
 */
@ConfigMapping(prefix = "mailshot.http")
public interface HttpLimitsConfig {

    /** The largest request body an endpoint accepts, unless it is a bulk endpoint. */
    @WithDefault("1M")
    @WithConverter(MemorySizeConverter.class)
    MemorySize maxBodySize();

    /** The streamed bulk endpoints. */
    Bulk bulk();

    /** Bulk ingestion endpoints: they stream their body, so it may be far larger than any other. */
    interface Bulk {

        /** Path templates of the bulk endpoints, such as {@code /suppression-lists/{id}/entries}; none by default. */
        Optional<List<String>> paths();

        /** The largest request body a bulk endpoint accepts. */
        @WithDefault("2G")
        @WithConverter(MemorySizeConverter.class)
        MemorySize maxBodySize();
    }
}
