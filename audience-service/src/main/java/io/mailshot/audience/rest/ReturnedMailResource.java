package io.mailshot.audience.rest;

import io.mailshot.audience.service.returned.ReturnedMailService;
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

/** Returned mail: a provider's file of undeliverable addresses, which later runs exclude. */
@Path("/returned-mail")
public class ReturnedMailResource {

    static final String CSV = "text/csv";

    private final ReturnedMailService returns;
    private final Caller caller;

    public ReturnedMailResource(ReturnedMailService returns, Caller caller) {
        this.returns = returns;
        this.caller = caller;
    }

    /**
     * Imports a return file, streamed: CSV ({@code text/csv}, header first) or NDJSON
     * ({@code application/x-ndjson}), UTF-8 unless Content-Type declares another charset. One method for both
     * types, so an Accept it cannot meet is still answered with 406.
     */
    @POST
    @Consumes({CSV, ProfileResource.NDJSON})
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.AUDIENCE_MANAGER)
    @Audited(action = "returned-mail.import", entity = "returned-mail", idParam = "")
    public BulkResult importFile(@Context HttpHeaders headers, InputStream body) {
        boolean csv = headers.getMediaType() != null && MediaType.valueOf(CSV).isCompatible(headers.getMediaType());
        return BulkResult.of(
                csv
                        ? returns.importCsv(body, ProfileResource.charset(headers), caller.actor())
                        : returns.importNdjson(body, ProfileResource.charset(headers), caller.actor()));
    }
}
