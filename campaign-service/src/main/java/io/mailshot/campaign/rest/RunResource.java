package io.mailshot.campaign.rest;

import io.mailshot.campaign.rest.ApiModels.RunView;
import io.mailshot.campaign.service.RunViews;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;

/** A run's status, counts, file and deliveries. */
@Path("/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    private final RunViews runs;

    public RunResource(RunViews runs) {
        this.runs = runs;
    }

    @GET
    @Path("/{id}")
    public RunView get(@PathParam("id") UUID id) {
        return runs.get(id);
    }
}
