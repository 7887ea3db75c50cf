package io.mailshot.audience.rest;

import io.mailshot.audience.service.ProfileService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Profile ingestion (NDJSON, streamed) and lookup by primary identity. */
@Path("/profiles")
public class ProfileResource {

    /** Newline-delimited JSON, one profile per line. */
    public static final String NDJSON = "application/x-ndjson";

    private final ProfileService profiles;

    public ProfileResource(ProfileService profiles) {
        this.profiles = profiles;
    }

    /**
     * Upserts one profile per line. A blocking method taking an InputStream gets the body as it arrives
     * rather than buffered, so bodies of any size stream through.
     */
    @POST
    @Path("/bulk")
    @Consumes({NDJSON, MediaType.TEXT_PLAIN})
    @Produces(MediaType.APPLICATION_JSON)
    public BulkResult bulk(InputStream body) {
        return profiles.ingest(body);
    }

    /**
     * Upserts one profile per CSV record. The first record is the header; {@code mapping} is a JSON object from
     * header name to profile path (optionally typed {@code :number} or {@code :boolean}); {@code namespace}
     * is the identity namespace unless a column maps to {@code identity.namespace}.
     */
    @POST
    @Path("/csv")
    @Consumes({"text/csv", MediaType.TEXT_PLAIN})
    @Produces(MediaType.APPLICATION_JSON)
    public BulkResult csv(InputStream body, @RestQuery String mapping, @RestQuery String namespace,
            @RestQuery String delimiter) {
        return profiles.ingestCsv(body, mapping, namespace, delimiter);
    }

    @GET
    @Path("/{namespace}/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@RestPath String namespace, @RestPath String id) {
        return Response.ok(profiles.get(namespace, id), MediaType.APPLICATION_JSON).build();
    }
}
