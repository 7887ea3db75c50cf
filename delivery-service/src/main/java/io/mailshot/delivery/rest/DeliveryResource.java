package io.mailshot.delivery.rest;

import io.mailshot.delivery.persistence.DeliveryRepository;
import io.mailshot.kit.rest.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;

/** Read-only view of a run's delivery. */
@Path("/deliveries")
@Produces(MediaType.APPLICATION_JSON)
public class DeliveryResource {

    private final DeliveryRepository deliveries;

    public DeliveryResource(DeliveryRepository deliveries) {
        this.deliveries = deliveries;
    }

    @GET
    @Path("/{runId}")
    public DeliveryView get(@PathParam("runId") UUID runId) {
        return deliveries.find(runId)
                .map(d -> new DeliveryView(d.runId(), d.routingId(), d.status(), d.attempts(), d.destination(),
                        d.error(), d.files()))
                .orElseThrow(() -> ApiException.notFound("delivery of run", runId));
    }
}
