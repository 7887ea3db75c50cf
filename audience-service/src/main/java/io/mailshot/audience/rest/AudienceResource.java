package io.mailshot.audience.rest;

import io.mailshot.audience.service.audience.AudienceService;
import io.mailshot.audience.service.audience.FieldCoverage;
import io.mailshot.events.PressureCheck;
import io.mailshot.kit.audit.Audited;
import io.mailshot.kit.rest.ApiException;
import io.mailshot.kit.security.Caller;
import io.mailshot.kit.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestPath;

/** Audiences: named filters over profiles, referenced by campaigns. */
@Path("/audiences")
@Produces(MediaType.APPLICATION_JSON)
public class AudienceResource {

    /** @param matchesAny null when the store could not tell within the time budget */
    public record MatchesAny(Boolean matchesAny) {}

    private final AudienceService audiences;
    private final FieldCoverage coverage;
    private final Caller caller;

    public AudienceResource(AudienceService audiences, FieldCoverage coverage, Caller caller) {
        this.caller = caller;
        this.audiences = audiences;
        this.coverage = coverage;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.AUDIENCE_MANAGER)
    @Audited(action = "audience.create", entity = "audience", idParam = "")
    public Response create(@Valid @NotNull CreateAudienceRequest body, UriInfo uri) {
        AudienceView created = AudienceView.of(audiences.create(body.name(), body.filter(), caller.actor()));
        return Response.created(uri.getAbsolutePathBuilder()
                        .path(created.id().toString())
                        .build())
                .entity(created)
                .build();
    }

    @GET
    @RolesAllowed(Roles.READER)
    public List<AudienceView> list() {
        return audiences.list().stream().map(AudienceView::of).toList();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.READER)
    public AudienceView get(@RestPath UUID id) {
        return AudienceView.of(audiences.get(id));
    }

    /** How many non-test profiles the audience matches now. */
    @GET
    @Path("/{id}/estimate")
    @RolesAllowed(Roles.READER)
    public Estimate estimate(@RestPath UUID id) {
        return new Estimate(audiences.estimate(id));
    }

    /**
     * How many of the audience's profiles the given mail-pressure rules would stop now (the campaign-service's
     * validate and simulate). Read-only, so open to whoever may read an estimate.
     */
    @POST
    @Path("/{id}/pressure-check")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.READER)
    public PressureCheck.Result pressureCheck(@RestPath UUID id, @NotNull PressureCheck body) {
        return audiences.pressureCheck(id, body);
    }

    /**
     * Which attribute paths exist in the profile store and how well a sample of the audience fills them (for a
     * campaign's checks). Here rather than in a resource class of its own: JAX-RS picks one root class per path,
     * so a second class under {@code /audiences} answered a method it lacks with 404 instead of 405.
     */
    @POST
    @Path("/{id}/field-coverage")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.READER)
    public FieldCoverage.Report fieldCoverage(@RestPath UUID id, @Valid @NotNull FieldCoverageRequest body) {
        int sample = body.sample() == null ? 1000 : body.sample();
        if (sample > coverage.maxSample()) {
            throw ApiException.invalid("sample", "max", "sample must be at most " + coverage.maxSample());
        }
        return coverage.report(id, body.paths(), sample);
    }

    /**
     * Whether the audience matches at least one profile now, decided within the field-coverage time budget:
     * what a campaign's checks ask, answered at once for any non-empty audience however large the store.
     */
    @GET
    @Path("/{id}/matches-any")
    @RolesAllowed(Roles.READER)
    public MatchesAny matchesAny(@RestPath UUID id) {
        return new MatchesAny(coverage.matchesAny(id));
    }
}
