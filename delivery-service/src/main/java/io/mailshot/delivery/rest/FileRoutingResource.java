package io.mailshot.delivery.rest;

import io.mailshot.delivery.service.RoutingService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;

/** REST API of file routings: where a run's files are delivered. Secrets go in, never come out. */
@Path("/file-routings")
@Produces(MediaType.APPLICATION_JSON)
public class FileRoutingResource {

    private final RoutingService routings;

    public FileRoutingResource(RoutingService routings) {
        this.routings = routings;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Valid @NotNull CreateRoutingRequest body, UriInfo uri) {
        RoutingView created = routings.create(body);
        return Response.created(uri.getAbsolutePathBuilder().path(created.id().toString()).build())
                .entity(created).build();
    }

    @GET
    public List<RoutingView> list() {
        return routings.list();
    }

    @GET
    @Path("/{id}")
    public RoutingView get(@PathParam("id") UUID id) {
        return routings.get(id);
    }

    @POST
    @Path("/{id}/activate")
    public RoutingView activate(@PathParam("id") UUID id) {
        return routings.activate(id);
    }

    /** Archives the routing (it is kept for the runs that used it, but receives no more deliveries). */
    @DELETE
    @Path("/{id}")
    public Response archive(@PathParam("id") UUID id) {
        routings.archive(id);
        return Response.noContent().build();
    }
}
