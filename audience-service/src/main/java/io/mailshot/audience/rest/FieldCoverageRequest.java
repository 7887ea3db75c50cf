package io.mailshot.audience.rest;

import io.mailshot.audience.persistence.AttributePath;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Body of {@code POST /audiences/{id}/field-coverage}.
 *
 * @param paths dotted attribute paths, at most 200
 * @param sample how many of the audience's profiles to sample; 1000 when absent
 */
public record FieldCoverageRequest(
        @NotEmpty @Size(max = 200)
        List<
                        @NotNull
                        @Pattern(
                                regexp = AttributePath.REGEX,
                                message = "must be a dotted attribute path such as attributes.loyalty.tier")
                        String>
                paths,

        @Min(1) Integer sample) {}
