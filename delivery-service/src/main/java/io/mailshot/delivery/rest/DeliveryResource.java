package io.mailshot.delivery.rest;

import io.mailshot.delivery.persistence.DeliveryRepository;
import io.mailshot.delivery.persistence.DeliveryRow;
import io.mailshot.delivery.service.delivery.DeliveryService;
import io.mailshot.kit.audit.AuditTrail;
import io.mailshot.kit.audit.Audited;
import io.mailshot.kit.audit.Outcome;
import io.mailshot.kit.rest.ApiException;
import io.mailshot.kit.security.Caller;
import io.mailshot.kit.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
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
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/** A run's deliveries (the original one and re-sends), and re-sending a run's staged files. */
@Path("/deliveries")
@Produces(MediaType.APPLICATION_JSON)
public class DeliveryResource {

    private final DeliveryRepository deliveries;
    private final DeliveryService service;
    private final Caller caller;
    private final AuditTrail audit;

    public DeliveryResource(DeliveryRepository deliveries, DeliveryService service, Caller caller, AuditTrail audit) {
        this.caller = caller;
        this.audit = audit;
        this.deliveries = deliveries;
        this.service = service;
    }

    @GET
    @Path("/{runId}")
    @RolesAllowed(Roles.READER)
    public DeliveryView get(@PathParam("runId") UUID runId) {
        DeliveryRow original = deliveries
                .find(runId)
                .filter(d -> DeliveryRow.ORIGINAL.equals(d.kind()))
                .orElseThrow(() -> ApiException.notFound("delivery of run", runId));
        List<DeliveryView> resends = deliveries.listByRun(runId).stream()
                .filter(d -> DeliveryRow.RESEND.equals(d.kind()))
                .map(d -> DeliveryView.of(d, null))
                .toList();
        return DeliveryView.of(original, resends);
    }

    @GET
    @Path("/{runId}/resends/{deliveryId}")
    @RolesAllowed(Roles.READER)
    public DeliveryView resend(@PathParam("runId") UUID runId, @PathParam("deliveryId") UUID deliveryId) {
        return deliveries
                .find(deliveryId)
                .filter(d -> d.runId().equals(runId) && DeliveryRow.RESEND.equals(d.kind()))
                .map(d -> DeliveryView.of(d, null))
                .orElseThrow(() -> ApiException.notFound("re-send", deliveryId));
    }

    /**
     * Re-delivers a settled run's staged files to the same routing or another ACTIVE one, while staging still
     * retains them. 202 with the new delivery (IN_PROGRESS); follow it at the Location.
     */
    @POST
    @Path("/{runId}/resend")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Audited(action = "delivery.resend", entity = "delivery", idParam = "runId")
    public Response resend(
            @PathParam("runId") UUID runId,
            @RequestBody(required = false, description = "the target routing; no body re-sends to the run's own")
                    ResendRequest body,
            UriInfo uri) {
        DeliveryRow resend = service.resend(runId, body == null ? null : body.routingId());
        audit.recordAlone(
                caller.actor(),
                "delivery.resend",
                AuditTrail.ref("delivery", runId),
                Outcome.DONE,
                AuditTrail.details("routingId", resend.routingId(), "resendId", resend.id()));
        return Response.accepted(DeliveryView.of(resend, null))
                .location(uri.getBaseUriBuilder()
                        .path("deliveries")
                        .path(runId.toString())
                        .path("resends")
                        .path(resend.id().toString())
                        .build())
                .build();
    }
}
