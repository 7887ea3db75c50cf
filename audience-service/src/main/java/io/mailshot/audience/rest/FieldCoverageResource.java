package io.mailshot.audience.rest;

import io.mailshot.audience.persistence.AttributePath;
import io.mailshot.audience.service.FieldCoverage;
import io.mailshot.kit.rest.ApiException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestPath;

/** Which attribute paths exist in the profile store and how well an audience fills them (for campaign checks). */
@Path("/audiences/{id}/field-coverage")
@Produces(MediaType.APPLICATION_JSON)
public class FieldCoverageResource {

    /**
     * @param paths dotted attribute paths, at most 200
     * @param sample how many of the audience's profiles to sample; 1000 when absent
     */
    public record Request(
            @NotEmpty @Size(max = 200) List<@NotNull @Pattern(regexp = AttributePath.REGEX, message = "must be a dotted attribute path such as attributes.loyalty.tier") String> paths,
            @Min(1) Integer sample) {
    }

    private final FieldCoverage coverage;

    public FieldCoverageResource(FieldCoverage coverage) {
        this.coverage = coverage;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public FieldCoverage.Report coverage(@RestPath UUID id, @Valid @NotNull Request body) {
        int sample = body.sample() == null ? 1000 : body.sample();
        if (sample > coverage.maxSample()) {
            throw ApiException.invalid("sample", "max", "sample must be at most " + coverage.maxSample());
        }
        return coverage.report(id, body.paths(), sample);
    }
}
