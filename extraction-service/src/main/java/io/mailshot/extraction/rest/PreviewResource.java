package io.mailshot.extraction.rest;

import io.mailshot.extraction.service.preview.PreviewRenderer;
import io.mailshot.kit.rest.ApiException;
import io.mailshot.kit.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Renders sample profiles exactly as a run's file would hold them (campaign-service's simulate calls it). A
 * request is bounded in profiles × columns before anything is rendered, and every cell in work by its
 * expression's compile-time budget, so one preview cannot hold the service for long.
 */
@Path("/previews")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class PreviewResource {

    private static final int DEFAULT_LIMIT = 20;

    private final PreviewRenderer renderer;

    public PreviewResource(PreviewRenderer renderer) {
        this.renderer = renderer;
    }

    @POST
    @Operation(summary = "Render sample profiles with a file definition; returns the first lines of the first part")
    @RolesAllowed(Roles.MARKETER)
    public PreviewResponse preview(@Valid @NotNull PreviewRequest request) {
        int columns =
                request.spec().columns() == null ? 0 : request.spec().columns().size();
        if (columns > PreviewRenderer.MAX_COLUMNS) {
            throw ApiException.invalid(
                    "spec.columns",
                    "max-columns",
                    "a preview renders at most " + PreviewRenderer.MAX_COLUMNS + " columns, not " + columns);
        }
        long cells = (long) request.profiles().size() * columns;
        if (cells > PreviewRenderer.MAX_CELLS) {
            throw ApiException.invalid(
                    "profiles",
                    "max-cells",
                    "a preview renders at most " + PreviewRenderer.MAX_CELLS
                            + " cells (profiles × columns); this one has "
                            + request.profiles().size() + " × " + columns
                            + " = " + cells + ": send fewer profiles");
        }
        PreviewRenderer.Preview preview = renderer.render(
                request.spec(),
                request.campaignName(),
                request.fields(),
                request.profiles().stream()
                        .map(p -> new PreviewRenderer.Sample(p.profileId(), p.values()))
                        .toList(),
                request.limit() == null ? DEFAULT_LIMIT : request.limit());
        return new PreviewResponse(preview.fileName(), preview.lines(), preview.errors());
    }
}
