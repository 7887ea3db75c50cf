package io.mailshot.extraction.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Expressions to validate, e.g. {@code upper(person.name.lastName)}. */
public record ExpressionCheckRequest(
        @NotNull @Size(max = 500) List<@NotNull @Size(max = 2000) String> expressions) {}
