package io.mailshot.campaign.rest;

import io.mailshot.campaign.rest.ApiModels.ConfigurationRequest;
import io.mailshot.campaign.rest.ApiModels.ConfigurationView;
import io.mailshot.campaign.rest.ApiModels.PageView;
import io.mailshot.campaign.service.configuration.ConfigurationService;
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

/** Direct-mail configurations: create, read, list and archive. */
@Path("/direct-mail-configurations")
@Produces(MediaType.APPLICATION_JSON)
public class ConfigurationResource {

    private final ConfigurationService service;
    private final Caller caller;

    public ConfigurationResource(ConfigurationService service, Caller caller) {
        this.caller = caller;
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.MARKETER)
    @Audited(action = "configuration.create", entity = "configuration", idParam = "")
    public Response create(@NotNull @Valid ConfigurationRequest body) {
        ConfigurationView created = ApiMapping.view(service.create(ApiMapping.draft(body), caller.actor()));
        return Response.created(URI.create("/direct-mail-configurations/" + created.id()))
                .entity(created)
                .build();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.READER)
    public ConfigurationView get(@PathParam("id") UUID id) {
        return ApiMapping.view(service.get(id));
    }

    @GET
    @RolesAllowed(Roles.READER)
    public PageView<ConfigurationView> list(
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

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.MARKETER)
    @Audited(action = "configuration.update", entity = "configuration")
    public ConfigurationView update(@PathParam("id") UUID id, @NotNull @Valid ConfigurationRequest body) {
        return ApiMapping.view(service.update(id, ApiMapping.draft(body), caller.actor()));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.MARKETER)
    @Audited(action = "configuration.archive", entity = "configuration")
    public ConfigurationView archive(@PathParam("id") UUID id) {
        return ApiMapping.view(service.archive(id, caller.actor()));
    }
}
