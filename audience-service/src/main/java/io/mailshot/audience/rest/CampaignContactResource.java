package io.mailshot.audience.rest;

import io.mailshot.audience.service.history.ContactHistory;
import io.mailshot.kit.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestPath;

/** A campaign's contact history, exported whole as CSV. */
@Path("/campaigns")
public class CampaignContactResource {

    public static final String CSV = "text/csv";

    private final ContactHistory history;

    public CampaignContactResource(ContactHistory history) {
        this.history = history;
    }

    /**
     * Every contact of the campaign's delivered runs (mailed and held out), streamed from a database cursor as it
     * is read: never buffered, so any size exports. Personal data, so only for the roles that read profiles. A
     * campaign with no delivered run (or unknown here: the audience-service does not hold campaigns) exports the
     * header alone.
     */
    @GET
    @Path("/{campaignId}/contacts")
    @Produces(CSV + ";charset=UTF-8")
    @RolesAllowed(Roles.AUDIENCE_MANAGER)
    public Response contacts(@RestPath UUID campaignId) {
        StreamingOutput body = out -> {
            try {
                history.writeCampaignCsv(campaignId, out);
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException("the contact history could not be read", e);
            }
        };
        return Response.ok(body, CSV + ";charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"contacts-" + campaignId + ".csv\"")
                .build();
    }
}
