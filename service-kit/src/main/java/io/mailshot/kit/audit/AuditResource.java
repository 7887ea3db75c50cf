package io.mailshot.kit.audit;

import io.mailshot.kit.rest.ApiException;
import io.mailshot.kit.rest.Paging;
import io.mailshot.kit.rest.Problem;
import io.mailshot.kit.security.Roles;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * {@code GET /audit?entity=<type>&id=<id>}: the audit trail of one entity (with the entries of what belongs to it,
 * e.g. a campaign's runs), or of every entity of a type when {@code id} is left out; oldest first, paged. Open to
 * every Mailshot role. Present in a service that sets {@code mailshot.audit.enabled=true} (a build-time property:
 * only services that have the {@code audit_entry} table) and names its entity types in
 * {@code mailshot.audit.entities}.
 */
@Path("/audit")
@Produces(MediaType.APPLICATION_JSON)
@IfBuildProperty(name = "mailshot.audit.enabled", stringValue = "true")
public class AuditResource {

    /** Longest entity id asked for; ids are UUIDs or short names. */
    static final int MAX_ID = 200;

    private final AuditTrail trail;
    private final List<String> entities;

    public AuditResource(AuditTrail trail, @ConfigProperty(name = "mailshot.audit.entities") List<String> entities) {
        this.trail = trail;
        this.entities = List.copyOf(entities);
    }

    @GET
    @RolesAllowed(Roles.READER)
    public AuditEntry.Page list(
            @QueryParam("entity") @Parameter(required = true, description = "the entity type, e.g. campaign")
                    String entity,
            @QueryParam("id") @Parameter(description = "the entity's id; without it, every entity of the type")
                    String id,
            @QueryParam("page")
                    @DefaultValue("0")
                    @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = "10000"))
                    String page,
            @QueryParam("size")
                    @DefaultValue("50")
                    @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "200"))
                    String size,
            @Context UriInfo uri) {
        // Every bad parameter in one problem, so that each is named whatever else is missing.
        List<Problem.FieldError> errors = new ArrayList<>();
        String type = entity == null ? null : entity.strip();
        if (type == null || type.isEmpty()) {
            errors.add(new Problem.FieldError("entity", "required", "entity is required: one of " + entities));
        } else if (!entities.contains(type)) {
            errors.add(new Problem.FieldError("entity", "enum", "entity must be one of " + entities));
        }
        // "id=" asks for an entity without naming it: refused, not read as "every entity of the type".
        if (id != null && id.isBlank() || id == null && uri.getQueryParameters().containsKey("id")) {
            errors.add(new Problem.FieldError(
                    "id",
                    "not-blank",
                    "id must not be blank; leave it out for every "
                            + (type == null || type.isEmpty() ? "entity of the type" : type)));
        } else if (id != null && id.length() > MAX_ID) {
            errors.add(new Problem.FieldError("id", "max-length", "id must be at most " + MAX_ID + " characters"));
        }
        int pageNumber = paging(errors, () -> Paging.page(page));
        int pageSize = paging(errors, () -> Paging.size(size));
        if (!errors.isEmpty()) {
            throw new ApiException(
                    400,
                    "invalid-parameter",
                    "Invalid request parameter",
                    errors.stream().map(Problem.FieldError::message).collect(Collectors.joining("; ")),
                    errors);
        }
        return trail.page(type, id == null ? null : id.strip(), pageNumber, pageSize);
    }

    private static int paging(List<Problem.FieldError> errors, IntSupplier value) {
        try {
            return value.getAsInt();
        } catch (ApiException e) {
            errors.addAll(e.errors());
            return 0;
        }
    }
}
