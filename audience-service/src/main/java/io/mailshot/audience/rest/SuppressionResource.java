package io.mailshot.audience.rest;

import io.mailshot.audience.service.suppression.SuppressionService;
import io.mailshot.kit.audit.Audited;
import io.mailshot.kit.security.Caller;
import io.mailshot.kit.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestPath;

/** Suppression lists: identities and addresses that are never mailed, applied per run. */
@Path("/suppression-lists")
@Produces(MediaType.APPLICATION_JSON)
public class SuppressionResource {

    private final SuppressionService lists;
    private final Caller caller;

    public SuppressionResource(SuppressionService lists, Caller caller) {
        this.caller = caller;
        this.lists = lists;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.AUDIENCE_MANAGER)
    @Audited(action = "suppression-list.create", entity = "suppression-list", idParam = "")
    public Response create(@Valid @NotNull CreateSuppressionListRequest body, UriInfo uri) {
        SuppressionListView created = SuppressionListView.of(lists.create(body.name(), body.reason(), caller.actor()));
        return Response.created(uri.getAbsolutePathBuilder()
                        .path(created.id().toString())
                        .build())
                .entity(created)
                .build();
    }

    @GET
    @RolesAllowed(Roles.READER)
    public List<SuppressionListView> list() {
        return lists.list().stream().map(SuppressionListView::of).toList();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.READER)
    public SuppressionListView get(@RestPath UUID id) {
        return SuppressionListView.of(lists.get(id));
    }

    /**
     * Adds entries, streamed: NDJSON (or text), one entry a line, {@code line} in errors being the body line,
     * UTF-8 unless Content-Type declares another charset; or a JSON array, element by element, {@code line} in
     * errors being the element number from 1. One method for both types: with one method per type, JAX-RS chose
     * by type alone and no longer answered an Accept it cannot meet with 406.
     */
    @POST
    @Path("/{id}/entries")
    @Consumes({ProfileResource.NDJSON, MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON})
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.AUDIENCE_MANAGER)
    @Audited(action = "suppression-list.entries-add", entity = "suppression-list")
    public BulkResult addEntries(@RestPath UUID id, @Context HttpHeaders headers, InputStream body) {
        return BulkResult.of(
                MediaType.APPLICATION_JSON_TYPE.isCompatible(headers.getMediaType())
                        ? lists.addJsonArray(id, body, caller.actor())
                        : lists.addNdjson(id, body, ProfileResource.charset(headers), caller.actor()));
    }
}
