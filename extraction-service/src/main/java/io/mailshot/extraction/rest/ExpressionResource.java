package io.mailshot.extraction.rest;

import io.mailshot.extraction.service.expression.CompiledExpression;
import io.mailshot.extraction.service.expression.ExpressionException;
import io.mailshot.extraction.service.expression.Expressions;
import io.mailshot.kit.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Validates personalisation expressions for the campaign-service and lists the attribute paths they read. */
@Path("/expressions")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ExpressionResource {

    @POST
    @Path("/check")
    @Operation(summary = "Parse and type-check expressions; report errors with positions and the paths read")
    @RolesAllowed(Roles.MARKETER)
    public ExpressionCheckResponse check(@Valid @NotNull ExpressionCheckRequest request) {
        List<ExpressionCheckResponse.Result> results = new ArrayList<>();
        for (String expression : request.expressions()) {
            try {
                CompiledExpression compiled = Expressions.check(expression);
                results.add(new ExpressionCheckResponse.Result(expression, true, null, compiled.paths()));
            } catch (ExpressionException e) {
                results.add(new ExpressionCheckResponse.Result(
                        expression, false, new ExpressionCheckResponse.Error(e.position(), e.getMessage()), List.of()));
            }
        }
        return new ExpressionCheckResponse(results);
    }
}
