package io.mailshot.delivery.rest;

import io.mailshot.delivery.service.ConnectionTester;
import io.mailshot.delivery.service.DeliveryException;
import io.mailshot.delivery.service.HostNames;
import io.mailshot.delivery.service.RoutingService;
import io.mailshot.delivery.service.SftpTransport;
import io.mailshot.kit.rest.ApiException;
import io.mailshot.kit.rest.Problem;
import io.mailshot.kit.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.security.PublicKey;
import java.util.List;
import java.util.UUID;
import org.apache.sshd.common.config.keys.KeyUtils;

/** REST API of file routings: where a run's files are delivered. Secrets go in, never come out. */
@Path("/file-routings")
@Produces(MediaType.APPLICATION_JSON)
public class FileRoutingResource {

    private final RoutingService routings;
    private final ConnectionTester tester;
    private final SftpTransport sftp;

    public FileRoutingResource(RoutingService routings, ConnectionTester tester, SftpTransport sftp) {
        this.routings = routings;
        this.tester = tester;
        this.sftp = sftp;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ROUTING_ADMIN)
    public Response create(@Valid @NotNull CreateRoutingRequest body, UriInfo uri) {
        RoutingView created = routings.create(body);
        return Response.created(uri.getAbsolutePathBuilder().path(created.id().toString()).build())
                .entity(created).build();
    }

    @GET
    @RolesAllowed(Roles.READER)
    public List<RoutingView> list() {
        return routings.list();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.READER)
    public RoutingView get(@PathParam("id") UUID id) {
        return routings.get(id);
    }

    /** Replaces the routing's settings; secrets that are not sent are kept. */
    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ROUTING_ADMIN)
    public RoutingView update(@PathParam("id") UUID id, @Valid @NotNull UpdateRoutingRequest body) {
        return routings.update(id, body);
    }

    /** Connects, authenticates, writes and removes a probe file; always 200, {@code ok} says whether all worked. */
    @POST
    @Path("/{id}/test")
    @RolesAllowed(Roles.ROUTING_ADMIN)
    public ConnectionTestResult test(@PathParam("id") UUID id) {
        return tester.test(id);
    }

    /** Fetches an SFTP server's host key fingerprint so an admin can confirm it before pinning it. */
    @POST
    @Path("/sftp-host-key")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ROUTING_ADMIN)
    public HostKeyView hostKey(@Valid @NotNull HostKeyRequest body) {
        int port = body.port() == null ? 22 : body.port();
        String host;
        try {
            host = HostNames.normalise(body.host());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("host", "host", "host " + e.getMessage());
        }
        sftp.checkEgress("host", host);
        try {
            PublicKey key = sftp.hostKey(host, port);
            return new HostKeyView(host, port, KeyUtils.getFingerPrint(key), KeyUtils.getKeyType(key));
        } catch (DeliveryException e) {
            // The host and port are the client's input: one that answers no SSH is refused like any bad value.
            throw new ApiException(422, "sftp-unreachable", "SFTP server unreachable", e.getMessage(),
                    List.of(new Problem.FieldError("host", "reachable", e.getMessage())));
        }
    }

    @POST
    @Path("/{id}/activate")
    @RolesAllowed(Roles.ROUTING_ADMIN)
    public RoutingView activate(@PathParam("id") UUID id) {
        return routings.activate(id);
    }

    /** Archives the routing (it is kept for the runs that used it, but receives no more deliveries). */
    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ROUTING_ADMIN)
    public Response archive(@PathParam("id") UUID id) {
        routings.archive(id);
        return Response.noContent().build();
    }
}
