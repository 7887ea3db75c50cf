package io.mailshot.campaign.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailshot.campaign.config.PressureConfig;
import io.mailshot.campaign.rest.ApiModels.CampaignRequest;
import io.mailshot.campaign.rest.ApiModels.CampaignView;
import io.mailshot.campaign.rest.ApiModels.PageView;
import io.mailshot.campaign.rest.ApiModels.PressureExemptionRequest;
import io.mailshot.campaign.rest.ApiModels.RunView;
import io.mailshot.campaign.rest.ApiModels.ValidationView;
import io.mailshot.campaign.service.campaign.CampaignService;
import io.mailshot.campaign.service.campaign.Simulation;
import io.mailshot.campaign.service.campaign.Validation;
import io.mailshot.campaign.service.campaign.ValidationService;
import io.mailshot.kit.audit.Audited;
import io.mailshot.kit.rest.ApiException;
import io.mailshot.kit.rest.Paging;
import io.mailshot.kit.rest.Problem;
import io.mailshot.kit.security.AccessRefusedException;
import io.mailshot.kit.security.Caller;
import io.mailshot.kit.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * Scheduled direct-mail campaigns: definition, approval, validation, activation and their runs. Who acts is the
 * subject of the request's access token ({@link Caller}), never a name the caller writes.
 */
@Path("/campaigns")
@Produces(MediaType.APPLICATION_JSON)
public class CampaignResource {

    private final CampaignService service;
    private final ValidationService validation;
    private final Simulation simulation;
    private final Caller caller;
    private final SecurityIdentity identity;
    private final PressureConfig pressure;

    public CampaignResource(
            CampaignService service,
            ValidationService validation,
            Simulation simulation,
            Caller caller,
            SecurityIdentity identity,
            PressureConfig pressure) {
        this.identity = identity;
        this.pressure = pressure;
        this.caller = caller;
        this.service = service;
        this.validation = validation;
        this.simulation = simulation;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.MARKETER)
    @Audited(action = "campaign.create", entity = "campaign", idParam = "")
    public Response create(@NotNull @Valid CampaignRequest body) {
        CampaignView created = ApiMapping.view(service.create(ApiMapping.draft(body), caller.actor()));
        return Response.created(URI.create("/campaigns/" + created.id()))
                .entity(created)
                .build();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.READER)
    public CampaignView get(@PathParam("id") UUID id) {
        return ApiMapping.view(service.get(id));
    }

    @GET
    @RolesAllowed(Roles.READER)
    public PageView<CampaignView> list(
            @QueryParam("page")
                    @DefaultValue("0")
                    @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = "10000"))
                    String page,
            @QueryParam("size")
                    @DefaultValue("20")
                    @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "200"))
                    String size) {
        return ApiMapping.page(service.list(Paging.page(page), Paging.size(size)), ApiMapping::view);
    }

    /** Errors (which block activation) and warnings (advice), each with a code, a field and a message. */
    @POST
    @Path("/{id}/validate")
    @RolesAllowed(Roles.MARKETER)
    public ValidationView validate(@PathParam("id") UUID id) {
        return ApiMapping.view(validation.validate(id));
    }

    @POST
    @Path("/{id}/submit")
    @RolesAllowed(Roles.MARKETER)
    @Audited(action = "campaign.submit", entity = "campaign")
    public CampaignView submit(@PathParam("id") UUID id) {
        return ApiMapping.view(service.submit(id, caller.actor()));
    }

    @POST
    @Path("/{id}/approve")
    @RolesAllowed(Roles.APPROVER)
    @Audited(action = "campaign.approve", entity = "campaign")
    public CampaignView approve(@PathParam("id") UUID id) {
        return ApiMapping.view(service.approve(id, caller.actor()));
    }

    @POST
    @Path("/{id}/reject")
    @RolesAllowed(Roles.APPROVER)
    @Audited(action = "campaign.reject", entity = "campaign")
    public CampaignView reject(@PathParam("id") UUID id) {
        return ApiMapping.view(service.reject(id, caller.actor()));
    }

    /**
     * Starts a run now (202 with the run; follow it at the Location), or, for a campaign with a schedule,
     * schedules it (200 with the campaign and its nextRunAt). Validation errors refuse it with a 422.
     */
    @POST
    @Path("/{id}/activate")
    @RolesAllowed(Roles.MARKETER)
    @Audited(action = "campaign.activate", entity = "campaign")
    public Response activate(@PathParam("id") UUID id) {
        Validation checked = validation.validate(id, false);
        // Over budget is its own refusal, naming the cap and the estimate, before any other error.
        validation.requireWithinBudget(id, checked);
        ValidationView blocking = ApiMapping.view(checked);
        if (!blocking.valid()) {
            var first = blocking.errors().get(0);
            throw new ApiException(
                    422,
                    "validation-failed",
                    "Campaign not valid",
                    blocking.errors().size() + " validation error(s); first: " + first.message(),
                    blocking.errors().stream()
                            .map(f -> new Problem.FieldError(f.field(), f.code(), f.message()))
                            .toList());
        }
        CampaignService.Activation activation = service.activate(id, caller.actor());
        if (activation.run() == null) {
            return Response.ok(ApiMapping.view(activation.campaign())).build();
        }
        return Response.accepted(ApiMapping.view(activation.run()))
                .location(URI.create("/runs/" + activation.run().id()))
                .build();
    }

    /** Body for a simulation: inline sample profiles (ingestion shape) and/or stored test profiles. */
    public record SimulateRequest(
            @Size(max = 100) List<JsonNode> profiles,
            @Size(max = 100) List<@NotNull @Valid ProfileRef> testProfiles,
            @Min(1) @Max(100) Integer limit) {}

    /** A test profile named by identity. */
    public record ProfileRef(
            @NotBlank @Size(max = 200) String namespace,
            @NotBlank @Size(max = 500) String id) {}

    /**
     * The first rows exactly as the file would hold them, and the file name, without creating a run.
     */
    @POST
    @Path("/{id}/simulate")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.MARKETER)
    public JsonNode simulate(@PathParam("id") UUID id, @NotNull @Valid SimulateRequest body) {
        List<Simulation.TestProfile> testProfiles = body.testProfiles() == null
                ? null
                : body.testProfiles().stream()
                        .map(p -> new Simulation.TestProfile(p.namespace(), p.id()))
                        .toList();
        return simulation.simulate(id, testProfiles, body.profiles(), body.limit() == null ? 20 : body.limit());
    }

    /**
     * Exempts the campaign from the mail-pressure rules, or ends its exemption: only a caller with the installation's
     * exemption role ({@code mailshot.pressure.exemption-role}, default the approver) may, and it is audited. Checked
     * here rather than in {@code @RolesAllowed} because the role is configurable; before the body, so a caller
     * without the role learns that first.
     */
    @PUT
    @Path("/{id}/pressure-exemption")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.READER)
    @Audited(action = "campaign.pressure-exemption", entity = "campaign")
    public CampaignView pressureExemption(@PathParam("id") UUID id, PressureExemptionRequest body) {
        String role = pressure.exemptionRole();
        if (!identity.hasRole(role)) {
            throw new AccessRefusedException(
                    "role", "exempting a campaign from mail-pressure rules needs the role " + role);
        }
        if (body == null || body.exempt() == null) {
            String detail = "exempt (true or false) is required";
            throw new ApiException(
                    400,
                    "validation-failed",
                    "Invalid request",
                    detail,
                    List.of(new Problem.FieldError("exempt", "NotNull", detail)));
        }
        if (body.reason() != null && body.reason().length() > 500) {
            throw ApiException.invalid("reason", "Size", "reason must be at most 500 characters");
        }
        return ApiMapping.view(service.exemptFromPressure(id, body.exempt(), body.reason(), caller.actor()));
    }

    @POST
    @Path("/{id}/stop")
    @RolesAllowed(Roles.MARKETER)
    @Audited(action = "campaign.stop", entity = "campaign")
    public CampaignView stop(@PathParam("id") UUID id) {
        return ApiMapping.view(service.stop(id, caller.actor()));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.MARKETER)
    @Audited(action = "campaign.archive", entity = "campaign")
    public CampaignView archive(@PathParam("id") UUID id) {
        return ApiMapping.view(service.archive(id, caller.actor()));
    }

    @GET
    @Path("/{id}/runs")
    @RolesAllowed(Roles.READER)
    public PageView<RunView> runs(
            @PathParam("id") UUID id,
            @QueryParam("page")
                    @DefaultValue("0")
                    @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = "10000"))
                    String page,
            @QueryParam("size")
                    @DefaultValue("20")
                    @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "200"))
                    String size) {
        return ApiMapping.page(service.runs(id, Paging.page(page), Paging.size(size)), ApiMapping::view);
    }
}
