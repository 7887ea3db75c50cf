package io.mailshot.campaign.rest;

import io.mailshot.campaign.rest.ApiModels.CampaignRequest;
import io.mailshot.campaign.rest.ApiModels.CampaignView;
import io.mailshot.campaign.rest.ApiModels.PageView;
import io.mailshot.campaign.rest.ApiModels.RunView;
import io.mailshot.campaign.service.CampaignService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;

/** Scheduled direct-mail campaigns, their activation and their runs. */
@Path("/campaigns")
@Produces(MediaType.APPLICATION_JSON)
public class CampaignResource {

    private final CampaignService service;

    public CampaignResource(CampaignService service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@NotNull @Valid CampaignRequest body) {
        CampaignView created = service.create(body);
        return Response.created(URI.create("/campaigns/" + created.id())).entity(created).build();
    }

    @GET
    @Path("/{id}")
    public CampaignView get(@PathParam("id") UUID id) {
        return service.get(id);
    }

    @GET
    public PageView<CampaignView> list(@QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(200) int size) {
        return service.list(page, size);
    }

    /** Starts a run now. 202: the run proceeds asynchronously; follow it at the Location. */
    @POST
    @Path("/{id}/activate")
    public Response activate(@PathParam("id") UUID id) {
        RunView run = service.activate(id);
        return Response.accepted(run).location(URI.create("/runs/" + run.id())).build();
    }

    @GET
    @Path("/{id}/runs")
    public PageView<RunView> runs(@PathParam("id") UUID id, @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(200) int size) {
        return service.runs(id, page, size);
    }
}
