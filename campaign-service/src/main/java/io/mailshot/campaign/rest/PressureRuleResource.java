package io.mailshot.campaign.rest;

import io.mailshot.campaign.rest.ApiModels.PageView;
import io.mailshot.campaign.rest.ApiModels.PressureRuleRequest;
import io.mailshot.campaign.rest.ApiModels.PressureRuleView;
import io.mailshot.campaign.service.pressure.PressureRules;
import io.mailshot.kit.audit.Audited;
import io.mailshot.kit.rest.Paging;
import io.mailshot.kit.security.Caller;
import io.mailshot.kit.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
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
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * Mail-pressure rules ("at most N mailings per profile or household in D days", "not again within D days of the same
 * campaign"): contact policy, so defined by approvers; read by every role.
 */
@Path("/pressure-rules")
@Produces(MediaType.APPLICATION_JSON)
public class PressureRuleResource {

    private final PressureRules rules;
    private final Caller caller;

    public PressureRuleResource(PressureRules rules, Caller caller) {
        this.rules = rules;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.APPROVER)
    @Audited(action = "pressure-rule.create", entity = "pressure-rule", idParam = "")
    public Response create(@NotNull @Valid PressureRuleRequest body) {
        PressureRuleView created = ApiMapping.view(rules.create(ApiMapping.draft(body), caller.actor()));
        return Response.created(URI.create("/pressure-rules/" + created.id()))
                .entity(created)
                .build();
    }

    @GET
    @RolesAllowed(Roles.READER)
    public PageView<PressureRuleView> list(
            @QueryParam("page")
                    @DefaultValue("0")
                    @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = "10000"))
                    String page,
            @QueryParam("size")
                    @DefaultValue("20")
                    @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "200"))
                    String size) {
        return ApiMapping.page(rules.list(Paging.page(page), Paging.size(size)), ApiMapping::view);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.READER)
    public PressureRuleView get(@PathParam("id") UUID id) {
        return ApiMapping.view(rules.get(id));
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.APPROVER)
    @Audited(action = "pressure-rule.update", entity = "pressure-rule")
    public PressureRuleView update(@PathParam("id") UUID id, @NotNull @Valid PressureRuleRequest body) {
        return ApiMapping.view(rules.update(id, ApiMapping.draft(body), caller.actor()));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.APPROVER)
    @Audited(action = "pressure-rule.delete", entity = "pressure-rule")
    public Response delete(@PathParam("id") UUID id) {
        rules.delete(id, caller.actor());
        return Response.noContent().build();
    }
}
