package io.mailshot.kit.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

/**
 * The mapper the REST layer reads request bodies (and writes responses) with: a {@link StrictJson} copy of the
 * application's mapper. A JAX-RS context resolver rather than a customizer of the application's mapper, so the
 * strict rules reach the API and nothing else (events and stored documents stay tolerant).
 */
@Provider
public class ApiObjectMapper implements ContextResolver<ObjectMapper> {

    private final ObjectMapper strict;

    public ApiObjectMapper(ObjectMapper application) {
        this.strict = StrictJson.of(application);
    }

    @Override
    public ObjectMapper getContext(Class<?> type) {
        return strict;
    }
}
