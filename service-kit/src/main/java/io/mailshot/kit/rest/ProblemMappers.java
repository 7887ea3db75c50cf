package io.mailshot.kit.rest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.mailshot.kit.domain.BodyTooLargeException;
import io.mailshot.kit.domain.DomainException;
import io.mailshot.kit.security.AccessRefusedException;
import io.mailshot.kit.security.Roles;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.AuthenticationRedirectException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * The one place where exceptions become RFC 9457 problem+json. It never leaks class names or stack
 * traces; an unexpected error gets an id that is logged server-side. Every client error names the field or
 * parameter and the rule when there is one: a malformed body ({@code type}, {@code enum}, {@code known-field},
 * {@code duplicate-member}, {@code text}, {@code range}, {@code json-syntax}) is a 400, like a bean-validation
 * failure; HTTP-level refusals (404, 405, 406, 413, 415) are problems too.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.errors();
        Problem.FieldError first = errors.isEmpty() ? null : errors.get(0);
        Response.ResponseBuilder response = builder(new Problem(
                Problem.type(e.slug()),
                e.title(),
                e.status(),
                e.getMessage(),
                path(uri),
                first == null ? null : first.field(),
                first == null ? null : first.rule(),
                errors));
        if (e.status() == 413) {
            // The rest of the body is not read: Vert.x closes the connection after the answer instead.
            response.header("Connection", "close");
        }
        return response.build();
    }

    /** A domain rule's refusal, answered with the status its kind calls for. */
    @ServerExceptionMapper
    public Response domain(DomainException e, UriInfo uri) {
        return api(ApiException.of(e), uri);
    }

    /** A body that passed its endpoint's limit while it was read (sent without a Content-Length). */
    @ServerExceptionMapper(priority = 1)
    public Response tooLarge(BodyTooLargeException e, UriInfo uri) {
        return api(ApiException.of(e.refusal(null)), uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(ProblemMappers::fieldError)
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        Problem.FieldError first = errors.isEmpty() ? new Problem.FieldError("", "", "") : errors.get(0);
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
        return respond(new Problem(
                Problem.type("validation-failed"),
                "Invalid request",
                400,
                detail,
                path(uri),
                first.field(),
                first.rule(),
                errors));
    }

    @ServerExceptionMapper(priority = 1)
    public Response json(JsonProcessingException e, UriInfo uri) {
        ApiException api = refusal(e);
        if (api != null) {
            return api(api, uri);
        }
        String field = "";
        String rule;
        String detail;
        InvalidJsonInputException invalid = cause(e, InvalidJsonInputException.class);
        if (invalid != null) {
            field = invalid.field();
            rule = invalid.rule();
            detail = invalid.detail();
        } else if (e instanceof JsonMappingException mapping
                        && !mapping.getPath().isEmpty()
                || cause(e, InputCoercionException.class) != null) {
            field = e instanceof JsonMappingException mapping ? path(mapping) : parserPath(e);
            String name = field.isEmpty() ? "the body" : field;
            Class<?> target = e instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
            if (e instanceof UnrecognizedPropertyException unknown) {
                rule = "known-field";
                detail = "unknown field '" + field + "'" + known(unknown);
            } else if (target != null && target.isEnum()) {
                rule = "enum";
                detail = name + " must be one of " + Arrays.toString(target.getEnumConstants());
            } else if (cause(e, InputCoercionException.class) != null) {
                InputCoercionException range = cause(e, InputCoercionException.class);
                rule = "range";
                detail = name + " is out of range"
                        + (range.getTargetType() == null ? "" : " for " + expected(range.getTargetType()));
            } else {
                rule = "type";
                detail = target == null || e instanceof InvalidFormatException && target == Object.class
                        ? name + " has the wrong type or format"
                        : name + " must be " + expected(target);
            }
        } else if (e instanceof JsonMappingException mapping
                && mapping.getPath().isEmpty()
                && e instanceof MismatchedInputException mismatch
                && mismatch.getTargetType() != null) {
            rule = "type";
            detail = "the request body must be " + expected(mismatch.getTargetType());
        } else if (cause(e, StreamConstraintsException.class) != null) {
            field = parserPath(e);
            rule = "limits";
            detail = "the request body exceeds a parsing limit: " + e.getOriginalMessage();
        } else {
            field = parserPath(e);
            rule = "json-syntax";
            JsonLocation at = e.getLocation();
            detail = "the request body is not valid JSON"
                    + (at == null || at.getLineNr() < 0
                            ? ""
                            : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
                    + ": "
                    + firstLine(e.getOriginalMessage());
        }
        return respond(new Problem(
                Problem.type("malformed-body"),
                "Malformed request body",
                400,
                detail,
                path(uri),
                field,
                rule,
                field.isEmpty() ? List.of() : List.of(new Problem.FieldError(field, rule, detail))));
    }

    /** Quarkus has a built-in mapper for this subtype; ours must be at least as specific to win. */
    @ServerExceptionMapper(priority = 1)
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    /** Quarkus answers an unknown path with a bare 404 of its own; this one is a problem like the others. */
    @ServerExceptionMapper(priority = 1)
    public Response notFound(NotFoundException e, UriInfo uri, HttpHeaders headers) {
        return web(e, uri, headers);
    }

    @ServerExceptionMapper(priority = 1)
    public Response notAllowed(NotAllowedException e, UriInfo uri, HttpHeaders headers) {
        return web(e, uri, headers);
    }

    @ServerExceptionMapper(priority = 1)
    public Response notSupported(NotSupportedException e, UriInfo uri, HttpHeaders headers) {
        return web(e, uri, headers);
    }

    @ServerExceptionMapper(priority = 1)
    public Response notAcceptable(NotAcceptableException e, UriInfo uri, HttpHeaders headers) {
        return web(e, uri, headers);
    }

    /**
     * No token, or one that cannot be trusted (expired, another issuer or audience, a bad signature): 401 with the
     * challenge of RFC 6750. The detail says which check failed when the provider's library says so, never the token.
     */
    @ServerExceptionMapper(priority = 1)
    public Response unauthenticated(AuthenticationFailedException e, UriInfo uri) {
        return signInRequired(uri, "a valid bearer token of the Mailshot identity provider is required");
    }

    @ServerExceptionMapper(priority = 1)
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return signInRequired(uri, "sign in: this endpoint needs a bearer token of the Mailshot identity provider");
    }

    @ServerExceptionMapper(priority = 1)
    public Response challenge(AuthenticationRedirectException e, UriInfo uri) {
        return signInRequired(uri, "sign in: this endpoint needs a bearer token of the Mailshot identity provider");
    }

    /** Signed in, without a role this endpoint needs: 403 naming the roles that would open it. */
    @ServerExceptionMapper(priority = 1)
    public Response forbidden(ForbiddenException e, UriInfo uri, SimpleResourceInfo resource) {
        if (e instanceof AccessRefusedException refused) {
            return api(refused.refusal(), uri);
        }
        List<String> roles = requiredRoles(resource);
        String detail = roles.isEmpty()
                ? "this endpoint is open to no one"
                : "this endpoint needs the role " + String.join(" or ", roles);
        List<Problem.FieldError> errors =
                roles.isEmpty() ? List.of() : List.of(new Problem.FieldError("role", "role", detail));
        return respond(new Problem(
                Problem.type("forbidden"),
                "Forbidden",
                403,
                detail,
                path(uri),
                roles.isEmpty() ? null : "role",
                roles.isEmpty() ? "denied" : "role",
                errors));
    }

    private static Response signInRequired(UriInfo uri, String detail) {
        return builder(new Problem(
                        Problem.type("unauthenticated"),
                        "Unauthorized",
                        401,
                        detail,
                        path(uri),
                        null,
                        "bearer-token",
                        List.of()))
                .header("WWW-Authenticate", "Bearer realm=\"mailshot\"")
                .build();
    }

    /** The realm roles the resource method (or its class) is open to; the internal reader role stands for all. */
    private static List<String> requiredRoles(SimpleResourceInfo resource) {
        if (resource == null || resource.getResourceClass() == null) {
            return List.of();
        }
        RolesAllowed allowed = null;
        try {
            Method method = resource.getResourceClass().getMethod(resource.getMethodName(), resource.parameterTypes());
            allowed = method.getAnnotation(RolesAllowed.class);
        } catch (NoSuchMethodException e) {
            // Fall back to the class.
        }
        if (allowed == null) {
            allowed = resource.getResourceClass().getAnnotation(RolesAllowed.class);
        }
        if (allowed == null) {
            return List.of();
        }
        List<String> roles = new ArrayList<>();
        for (String role : allowed.value()) {
            if (role.equals(Roles.READER)) {
                roles.addAll(Roles.ALL);
            } else if (!roles.contains(role)) {
                roles.add(role);
            }
        }
        return roles;
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri, HttpHeaders headers) {
        ApiException api = refusal(e);
        if (api != null) {
            return api(api, uri);
        }
        JsonProcessingException json = cause(e, JsonProcessingException.class);
        if (json != null) {
            return json(json, uri);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, uri);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Request refused" : known.getReasonPhrase();
        String where = path(uri) == null ? "this path" : path(uri);
        String detail = switch (status) {
            case 400 -> "the request is malformed";
            case 404 -> "there is no resource at " + where;
            case 405 -> "this method is not allowed on " + where + allowed(e);
            case 406 ->
                "no representation of " + where + " matches the Accept header "
                        + quoted(header(headers, HttpHeaders.ACCEPT)) + "; this API answers application/json";
            case 415 ->
                "a body of type " + quoted(header(headers, HttpHeaders.CONTENT_TYPE)) + " is not accepted at " + where
                        + "; see the OpenAPI document at /q/openapi";
            default -> title;
        };
        return respond(
                new Problem(Problem.type("http-" + status), title, status, detail, path(uri), null, null, List.of()));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        ApiException api = refusal(e);
        if (api != null) {
            return api(api, uri);
        }
        String id = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected error %s on %s", id, path(uri));
        return respond(new Problem(
                Problem.type("internal-error"),
                "Internal error",
                500,
                "an unexpected error occurred; reference " + id,
                path(uri),
                null,
                null,
                List.of()));
    }

    /** The dotted path a mapping error happened at, such as {@code file.columns[0].label}. */
    static String path(JsonMappingException mapping) {
        return mapping.getPath().stream()
                .map(ref -> ref.getFieldName() != null
                        ? "." + UnicodeText.printable(ref.getFieldName())
                        : "[" + Math.max(ref.getIndex(), 0) + "]")
                .collect(Collectors.joining())
                .replaceFirst("^\\.", "");
    }

    /** Where the parser stood when it failed (a syntax error names the member it was reading). */
    private static String parserPath(JsonProcessingException e) {
        return e.getProcessor() instanceof JsonParser parser && parser.getParsingContext() != null
                ? CheckedJsonParser.path(parser.getParsingContext())
                : "";
    }

    private static String known(UnrecognizedPropertyException unknown) {
        Collection<Object> ids = unknown.getKnownPropertyIds();
        if (ids == null || ids.isEmpty() || ids.size() > 40) {
            return "";
        }
        return "; known fields here: "
                + ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }

    /** What a value of {@code type} looks like in JSON, for a problem's detail. */
    static String expected(Class<?> type) {
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == Integer.class
                || type == int.class
                || type == Long.class
                || type == long.class
                || type == Short.class
                || type == short.class
                || type == BigInteger.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type)
                || type == double.class
                || type == float.class
                || type == BigDecimal.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == UUID.class) {
            return "a UUID string such as 3f2b1c4d-0000-4000-8000-000000000000";
        }
        if (type == LocalDate.class) {
            return "an ISO-8601 date string such as 2024-01-31";
        }
        if (type == LocalTime.class) {
            return "an ISO-8601 time string such as 08:30";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 date-time string such as 2024-01-31T08:30:00Z";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.toString(type.getEnumConstants());
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        return "a value of the documented type";
    }

    private static String allowed(WebApplicationException e) {
        Object allow = e.getResponse().getHeaders().getFirst(HttpHeaders.ALLOW);
        return allow == null ? "" : "; allowed: " + allow;
    }

    private static String header(HttpHeaders headers, String name) {
        return headers == null ? null : headers.getHeaderString(name);
    }

    private static String quoted(String value) {
        return value == null || value.isBlank() ? "(none)" : "'" + value + "'";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    /** A refusal wrapped by a layer in between (Jackson, JAX-RS, a transaction), or null. */
    private static ApiException refusal(Throwable e) {
        BodyTooLargeException tooLarge = cause(e, BodyTooLargeException.class);
        if (tooLarge != null) {
            return ApiException.of(tooLarge.refusal(null));
        }
        DomainException domain = cause(e, DomainException.class);
        return domain != null ? ApiException.of(domain) : cause(e, ApiException.class);
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static Problem.FieldError fieldError(ConstraintViolation<?> v) {
        // Property paths look like "create.body.name": drop the method and parameter segments.
        String path = v.getPropertyPath().toString();
        String[] parts = path.split("\\.", 3);
        String field = parts.length == 3 ? parts[2] : parts[parts.length - 1];
        String rule =
                v.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName();
        return new Problem.FieldError(field, rule, v.getMessage());
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }

    /** A problem response; text that echoes input is made printable so that writing it can never fail. */
    static Response respond(Problem problem) {
        return builder(problem).build();
    }

    private static Response.ResponseBuilder builder(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(printable(problem));
    }

    static Problem printable(Problem p) {
        List<Problem.FieldError> errors = p.errors() == null
                ? List.of()
                : p.errors().stream()
                        .map(f -> new Problem.FieldError(
                                UnicodeText.printable(f.field()), f.rule(), UnicodeText.printable(f.message())))
                        .toList();
        String detail = p.detail() == null || p.detail().isBlank() ? p.title() : p.detail();
        return new Problem(
                p.type(),
                p.title(),
                p.status(),
                UnicodeText.printable(detail),
                UnicodeText.printable(p.instance()),
                UnicodeText.printable(p.field()),
                p.rule(),
                errors);
    }
}
