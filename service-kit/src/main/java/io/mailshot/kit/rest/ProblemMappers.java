package io.mailshot.kit.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where exceptions become RFC 9457 problem+json. It never leaks class names or stack
 * traces; an unexpected error gets an id that is logged server-side.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.errors();
        Problem.FieldError first = errors.isEmpty() ? null : errors.get(0);
        return respond(new Problem(Problem.type(e.slug()), e.title(), e.status(), e.getMessage(), path(uri),
                first == null ? null : first.field(), first == null ? null : first.rule(), errors));
    }

    @ServerExceptionMapper(priority = 1)
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(ProblemMappers::fieldError)
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        Problem.FieldError first = errors.isEmpty() ? new Problem.FieldError("", "", "") : errors.get(0);
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
        return respond(new Problem(Problem.type("validation-failed"), "Invalid request", 400, detail, path(uri),
                first.field(), first.rule(), errors));
    }

    @ServerExceptionMapper(priority = 1)
    public Response json(JsonProcessingException e, UriInfo uri) {
        String field = "";
        String rule = "json-syntax";
        String detail = "the request body is not valid JSON";
        if (e instanceof JsonMappingException mapping) {
            field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            if (e instanceof UnrecognizedPropertyException) {
                rule = "known-field";
                detail = "unknown field '" + field + "'";
            } else if (e instanceof InvalidFormatException format && format.getTargetType() != null
                    && format.getTargetType().isEnum()) {
                rule = "enum";
                detail = field + " must be one of " + Arrays.toString(format.getTargetType().getEnumConstants());
            } else {
                rule = "type";
                detail = field.isEmpty() ? "the request body has the wrong shape"
                        : field + " has the wrong type or format";
            }
        }
        return respond(new Problem(Problem.type("malformed-body"), "Malformed request body", 400, detail, path(uri),
                field, rule, field.isEmpty() ? List.of() : List.of(new Problem.FieldError(field, rule, detail))));
    }

    /** Quarkus has a built-in mapper for this subtype; ours must be at least as specific to win. */
    @ServerExceptionMapper(priority = 1)
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, uri);
        }
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException json) {
            return json(json, uri);
        }
        String title = Response.Status.fromStatusCode(status) == null ? "Request refused"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        return respond(new Problem(Problem.type("http-" + status), title, status, title, path(uri), null, null,
                List.of()));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        String id = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected error %s on %s", id, path(uri));
        return respond(new Problem(Problem.type("internal-error"), "Internal error", 500,
                "an unexpected error occurred; reference " + id, path(uri), null, null, List.of()));
    }

    private static Problem.FieldError fieldError(ConstraintViolation<?> v) {
        // Property paths look like "create.body.name": drop the method and parameter segments.
        String path = v.getPropertyPath().toString();
        String[] parts = path.split("\\.", 3);
        String field = parts.length == 3 ? parts[2] : parts[parts.length - 1];
        String rule = v.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName();
        return new Problem.FieldError(field, rule, v.getMessage());
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }

    private static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
