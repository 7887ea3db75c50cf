package io.mailshot.audience.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Body of {@code POST /audiences}.
 *
 * @param filter conditions ANDed together; empty or absent targets every profile
 */
public record CreateAudienceRequest(
        @NotBlank @Size(max = 200) String name,
        List<@NotNull @Valid FilterCondition> filter) {
}
