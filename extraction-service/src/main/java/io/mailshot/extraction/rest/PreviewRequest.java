package io.mailshot.extraction.rest;

import io.mailshot.events.RunSpec;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Sample profiles to render with a file definition.
 *
 * @param fields the attribute paths each profile's values are aligned with
 * @param limit how many rows to return (default 20)
 */
public record PreviewRequest(
        @NotNull RunSpec spec,
        @Size(max = 500) String campaignName,
        @NotNull @Size(max = 500) List<@NotNull String> fields,
        @NotNull @Size(max = 1000) List<@NotNull @Valid Profile> profiles,
        @Min(1) @Max(1000) Integer limit) {

    /** One sample profile. */
    public record Profile(String profileId, @NotNull List<String> values) {}
}
