package io.mailshot.audience.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /suppression-lists}. */
public record CreateSuppressionListRequest(
        @NotBlank @Size(max = 200) String name,

        @NotNull
        @Pattern(regexp = "DECEASED|MOVED|DO_NOT_MAIL|OTHER", message = "must be DECEASED, MOVED, DO_NOT_MAIL or OTHER")
        String reason) {}
