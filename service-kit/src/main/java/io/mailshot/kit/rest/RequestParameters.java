package io.mailshot.kit.rest;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.Context;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Checks every path, query and header parameter a resource method declares before it is converted or used:
 * a value that is not of its declared type (a UUID, a whole number) or holds text that cannot be stored
 * ({@link UnicodeText}, percent-escapes that are not UTF-8 included) is a 400 problem naming the parameter. JAX-RS
 * alone answers a path or query parameter that does not convert with a bare 404, and lets NUL through to the
 * database. Also counts a body sent without a length against its endpoint's limit ({@link BodyLimits}).
 */
public class RequestParameters {

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private enum Source {
        PATH,
        QUERY,
        HEADER
    }

    private record Declared(Source source, String name, Class<?> type) {}

    private record Signature(List<Declared> parameters, boolean body) {}

    private final Map<Method, Signature> signatures = new ConcurrentHashMap<>();
    private final BodyLimits limits;
    private final CurrentVertxRequest routing;

    public RequestParameters(BodyLimits limits, CurrentVertxRequest routing) {
        this.limits = limits;
        this.routing = routing;
    }

    @ServerRequestFilter(priority = 100)
    public void check(ContainerRequestContext request, ResourceInfo resource, HttpServerRequest http) {
        Method method = resource.getResourceMethod();
        if (method == null) {
            return;
        }
        Signature signature = signatures.computeIfAbsent(method, RequestParameters::signature);
        boolean rawPathChecked = false;
        for (Declared p : signature.parameters()) {
            switch (p.source()) {
                case PATH -> {
                    String value = request.getUriInfo().getPathParameters().getFirst(p.name());
                    if (!rawPathChecked) {
                        rawPathChecked = true;
                        if (UnicodeText.decodeStrict(http.path(), false) == null) {
                            throw badEncoding(signature, request, p);
                        }
                    }
                    check(p, value);
                }
                case QUERY -> {
                    for (String raw : rawQueryValues(http.query(), p.name())) {
                        String value = UnicodeText.decodeStrict(raw, true);
                        if (value == null) {
                            throw ApiException.badParameter(
                                    p.name(), "text", p.name() + " must be percent-encoded UTF-8 text");
                        }
                        check(p, value);
                    }
                }
                case HEADER -> {
                    for (String value : request.getHeaders().getOrDefault(p.name(), List.of())) {
                        check(p, value);
                    }
                }
                default -> throw new IllegalStateException(p.source().name());
            }
        }
        if (signature.body() && http.getHeader(HttpHeaders.CONTENT_LENGTH) == null && request.hasEntity()) {
            // A body without a declared length: count it as it is read (a declared one was checked up front).
            long limit = limits.limitFor(http.path());
            if (Context.isOnEventLoopThread()) {
                // A non-blocking method reads its body on the event loop, where this stream cannot be used:
                // Quarkus's own count applies (its 413 has no body). Every body-taking method is blocking today.
                routing.getCurrent().put(BodyLimits.QUARKUS_LIMIT_KEY, limit);
            } else {
                request.setEntityStream(BodyLimits.limit(request.getEntityStream(), limit));
            }
        }
    }

    private static void check(Declared p, String value) {
        if (value == null) {
            return;
        }
        if (p.type() == UUID.class) {
            if (!UUID_TEXT.matcher(value).matches()) {
                throw ApiException.badParameter(
                        p.name(), "uuid", p.name() + " must be a UUID such as 3f2b1c4d-0000-4000-8000-000000000000");
            }
            return;
        }
        String problem = UnicodeText.problem(value);
        if (problem != null) {
            throw ApiException.badParameter(p.name(), "text", p.name() + " " + problem);
        }
        if (p.type() == int.class || p.type() == Integer.class || p.type() == long.class || p.type() == Long.class) {
            try {
                long parsed = Long.parseLong(value.strip());
                if ((p.type() == int.class || p.type() == Integer.class)
                        && (parsed < Integer.MIN_VALUE || parsed > Integer.MAX_VALUE)) {
                    throw ApiException.badParameter(p.name(), "range", p.name() + " is out of range");
                }
            } catch (NumberFormatException e) {
                throw ApiException.badParameter(p.name(), "type", p.name() + " must be a whole number");
            }
        }
    }

    /** The first path parameter whose decoded value shows a replaced byte, else the first one. */
    private static ApiException badEncoding(Signature signature, ContainerRequestContext request, Declared first) {
        String name = first.name();
        for (Declared p : signature.parameters()) {
            String value = p.source() == Source.PATH
                    ? request.getUriInfo().getPathParameters().getFirst(p.name())
                    : null;
            if (value != null && value.indexOf('\uFFFD') >= 0) {
                name = p.name();
                break;
            }
        }
        return ApiException.badParameter(name, "text", name + " must be percent-encoded UTF-8 text");
    }

    private static List<String> rawQueryValues(String query, String name) {
        List<String> values = new ArrayList<>();
        if (query == null || query.isEmpty()) {
            return values;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = UnicodeText.decodeStrict(eq < 0 ? pair : pair.substring(0, eq), true);
            if (name.equals(key)) {
                values.add(eq < 0 ? "" : pair.substring(eq + 1));
            }
        }
        return values;
    }

    private static Signature signature(Method method) {
        List<Declared> declared = new ArrayList<>();
        boolean body = false;
        for (Parameter parameter : method.getParameters()) {
            Declared d = declared(parameter);
            if (d != null) {
                declared.add(d);
            } else if (isBody(parameter)) {
                body = true;
            }
        }
        return new Signature(List.copyOf(declared), body);
    }

    private static Declared declared(Parameter parameter) {
        Class<?> type = parameter.getType();
        PathParam path = parameter.getAnnotation(PathParam.class);
        RestPath restPath = parameter.getAnnotation(RestPath.class);
        QueryParam query = parameter.getAnnotation(QueryParam.class);
        RestQuery restQuery = parameter.getAnnotation(RestQuery.class);
        HeaderParam header = parameter.getAnnotation(HeaderParam.class);
        RestHeader restHeader = parameter.getAnnotation(RestHeader.class);
        if (path != null) {
            return new Declared(Source.PATH, path.value(), type);
        }
        if (restPath != null) {
            return new Declared(Source.PATH, named(restPath.value(), parameter), type);
        }
        if (query != null) {
            return new Declared(Source.QUERY, query.value(), type);
        }
        if (restQuery != null) {
            return new Declared(Source.QUERY, named(restQuery.value(), parameter), type);
        }
        if (header != null) {
            return new Declared(Source.HEADER, header.value(), type);
        }
        if (restHeader != null) {
            return new Declared(Source.HEADER, named(restHeader.value(), parameter), type);
        }
        return null;
    }

    /** RESTEasy's short annotations default to the parameter's name (compiled with -parameters). */
    private static String named(String value, Parameter parameter) {
        return value.isEmpty() ? parameter.getName() : value;
    }

    /** A parameter JAX-RS fills from the body: no parameter annotation and not a context object. */
    private static boolean isBody(Parameter parameter) {
        for (Annotation a : parameter.getAnnotations()) {
            String pkg = a.annotationType().getPackageName();
            if (pkg.startsWith("jakarta.ws.rs")
                    || pkg.startsWith("org.jboss.resteasy.reactive")
                    || a.annotationType() == CookieParam.class) {
                return false;
            }
        }
        String type = parameter.getType().getName();
        return !type.startsWith("jakarta.ws.rs.")
                && !type.startsWith("io.vertx.")
                && !type.startsWith("org.jboss.resteasy.reactive.");
    }
}
