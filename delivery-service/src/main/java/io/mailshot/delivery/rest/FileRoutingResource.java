package io.mailshot.delivery.rest;

import io.mailshot.delivery.service.delivery.DeliveryException;
import io.mailshot.delivery.service.routing.ConnectionTester;
import io.mailshot.delivery.service.routing.HostNames;
import io.mailshot.delivery.service.routing.RoutingService;
import io.mailshot.delivery.service.transport.SftpTransport;
import io.mailshot.kit.audit.AuditTrail;
import io.mailshot.kit.audit.Audited;
import io.mailshot.kit.audit.Outcome;
import io.mailshot.kit.rest.ApiException;
import io.mailshot.kit.rest.Problem;
import io.mailshot.kit.security.Caller;
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
    private final Caller caller;
    private final AuditTrail audit;

    public FileRoutingResource(
            RoutingService routings, ConnectionTester tester, SftpTransport sftp, Caller caller, AuditTrail audit) {
        this.caller = caller;
        this.audit = audit;
        this.routings = routings;
        this.tester = tester;
        this.sftp = sftp;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ROUTING_ADMIN)
    @Audited(action = "routing.create", entity = "routing", idParam = "")
    public Response create(@Valid @NotNull CreateRoutingRequest body, UriInfo uri) {
        RoutingView created = RoutingView.of(routings.create(body.toSpec(), caller.actor()));
        return Response.created(uri.getAbsolutePathBuilder()
                        .path(created.id().toString())
                        .build())
                .entity(created)
                .build();
    }

    @GET
    @RolesAllowed(Roles.READER)
    public List<RoutingView> list() {
        return routings.list().stream().map(RoutingView::of).toList();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.READER)
    public RoutingView get(@PathParam("id") UUID id) {
        return RoutingView.of(routings.get(id));
    }

    /** Replaces the routing's settings; secrets that are not sent are kept. */
    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ROUTING_ADMIN)
    @Audited(action = "routing.update", entity = "routing")
    public RoutingView update(@PathParam("id") UUID id, @Valid @NotNull UpdateRoutingRequest body) {
        return RoutingView.of(routings.update(id, body.toSpec(), caller.actor()));
    }

    /** Connects, authenticates, writes and removes a probe file; always 200, {@code ok} says whether all worked. */
    @POST
    @Path("/{id}/test")
    @RolesAllowed(Roles.ROUTING_ADMIN)
    @Audited(action = "routing.test", entity = "routing")
    public ConnectionTestResult test(@PathParam("id") UUID id) {
        ConnectionTestResult result = ConnectionTestResult.of(tester.test(id));
        // Nothing changes, but who probed which destination and what happened is part of the routing's story.
        audit.recordAlone(
                caller.actor(),
                "routing.test",
                AuditTrail.ref("routing", id),
                result.ok() ? Outcome.DONE : Outcome.FAILED,
                AuditTrail.details(
                        "steps",
                        result.steps().stream()
                                .map(s -> s.step() + ":" + s.status())
                                .toList()));
        return result;
    }

    /** Fetches an SFTP server's host key fingerprint so an admin can confirm it before pinning it. */
    @POST
    @Path("/sftp-host-key")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ROUTING_ADMIN)
    @Audited(action = "routing.host-key", entity = "routing", idParam = "")
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
            audit.recordAlone(
                    caller.actor(),
                    "routing.host-key",
                    AuditTrail.ref("routing", null),
                    Outcome.DONE,
                    AuditTrail.details("host", host, "port", port));
            return new HostKeyView(host, port, KeyUtils.getFingerPrint(key), KeyUtils.getKeyType(key));
        } catch (DeliveryException e) {
            // The host and port are the client's input: one that answers no SSH is refused like any bad value.
            throw new ApiException(
                    422,
                    "sftp-unreachable",
                    "SFTP server unreachable",
                    e.getMessage(),
                    List.of(new Problem.FieldError("host", "reachable", e.getMessage())));
        }
    }

    @POST
    @Path("/{id}/activate")
    @RolesAllowed(Roles.ROUTING_ADMIN)
    @Audited(action = "routing.activate", entity = "routing")
    public RoutingView activate(@PathParam("id") UUID id) {
        return RoutingView.of(routings.activate(id, caller.actor()));
    }

    /** Archives the routing (it is kept for the runs that used it, but receives no more deliveries). */
    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ROUTING_ADMIN)
    @Audited(action = "routing.archive", entity = "routing")
    public Response archive(@PathParam("id") UUID id) {
        routings.archive(id, caller.actor());
        return Response.noContent().build();
    }
}
