package io.mailshot.audience.rest;

import io.mailshot.audience.service.response.ResponseService;
import io.mailshot.kit.audit.Audited;
import io.mailshot.kit.security.Caller;
import io.mailshot.kit.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;

/** Responses (orders, sign-ups, calls) imported in bulk, for the match-back of delivered runs. */
@Path("/responses")
public class ResponseResource {

    private final ResponseService responses;
    private final Caller caller;

    public ResponseResource(ResponseService responses, Caller caller) {
        this.responses = responses;
        this.caller = caller;
    }

    /**
     * Imports responses, streamed: NDJSON (or text), one response a line, or CSV ({@code text/csv}) with a header.
     * UTF-8 unless Content-Type declares another charset. One method for every type, as for suppression entries.
     */
    @POST
    @Path("/bulk")
    @Consumes({ProfileResource.NDJSON, MediaType.TEXT_PLAIN, "text/csv"})
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.AUDIENCE_MANAGER)
    @Audited(action = "responses.import", entity = "responses", idParam = "")
    public BulkResult importResponses(@Context HttpHeaders headers, InputStream body) {
        MediaType type = headers.getMediaType();
        boolean csv =
                type != null && "text".equalsIgnoreCase(type.getType()) && "csv".equalsIgnoreCase(type.getSubtype());
        return BulkResult.of(
                csv
                        ? responses.importCsv(body, ProfileResource.charset(headers), caller.actor())
                        : responses.importNdjson(body, ProfileResource.charset(headers), caller.actor()));
    }
}
