package io.mailshot.kit.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.kit.config.HttpLimitsConfig;
import io.mailshot.kit.domain.BodyTooLargeException;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Request body limits per endpoint ({@link HttpLimitsConfig}), and the HTTP refusals that happen before
 * JAX-RS sees a request, answered as problem+json like every other error.
 *
 * <p>Quarkus has one limit for every route and answers it with an empty 413. Here a body whose declared
 * {@code Content-Length} is over its endpoint's limit is refused from its headers, before any of it is read; a
 * body sent without a length (chunked) is counted as it is read ({@link #limit}) and refused when it passes the
 * limit ({@link BodyTooLargeException}), never buffered whole. Quarkus's own limit stays as an outer bound that
 * must be at least the largest of these. Requests no route answers get a 404 problem.
 */
@ApplicationScoped
public class BodyLimits {

    /** The key under which Quarkus's blocking input stream looks for its limit (and answers an empty 413). */
    static final String QUARKUS_LIMIT_KEY = "io.quarkus.max-request-size";

    private final long standard;
    private final long bulk;
    private final List<String[]> bulkPaths = new ArrayList<>();
    private final ObjectMapper json;

    public BodyLimits(HttpLimitsConfig config, ObjectMapper json) {
        this.standard = config.maxBodySize().asLongValue();
        this.bulk = config.bulk().maxBodySize().asLongValue();
        this.json = json;
        for (String path : config.bulk().paths().orElse(List.of())) {
            bulkPaths.add(segments(path.strip()));
        }
    }

    void install(@Observes Router router) {
        long largest = bulkPaths.isEmpty() ? standard : Math.max(standard, bulk);
        Optional<String> outer =
                ConfigProvider.getConfig().getOptionalValue("quarkus.http.limits.max-body-size", String.class);
        if (outer.isPresent() && new MemorySizeConverter().convert(outer.get()).asLongValue() < largest) {
            throw new IllegalStateException("quarkus.http.limits.max-body-size (" + outer.get()
                    + ") must be at least the largest body limit of mailshot.http.max-body-size and"
                    + " mailshot.http.bulk.max-body-size (" + describe(largest) + ")");
        }
        router.route()
                .order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1)
                .handler(this::declaredLength)
                .failureHandler(this::statusOnlyFailure);
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1).handler(this::streamedLength);
        router.route()
                .order(Integer.MAX_VALUE)
                .handler(ctx -> write(
                        ctx, 404, "not-found", "Not found", "there is no resource at " + ctx.normalizedPath(), null));
    }

    /** The limit of the endpoint at {@code path}, in bytes. */
    public long limitFor(String path) {
        String[] actual = segments(path);
        for (String[] template : bulkPaths) {
            if (matches(template, actual)) {
                return bulk;
            }
        }
        return standard;
    }

    /** {@code body} refused with a 413 problem once it has given more than {@code limit} bytes. */
    public static InputStream limit(InputStream body, long limit) {
        return new Limited(body, limit);
    }

    /** A byte count for people: 1 MiB (1048576 bytes). */
    public static String describe(long bytes) {
        return BodyTooLargeException.describe(bytes);
    }

    private void declaredLength(RoutingContext ctx) {
        String declared = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.strip());
            } catch (NumberFormatException e) {
                write(
                        ctx,
                        400,
                        "invalid-parameter",
                        "Invalid request parameter",
                        "Content-Length must be a whole number of bytes",
                        "Content-Length");
                return;
            }
            long limit = limitFor(ctx.normalizedPath());
            if (length > limit) {
                ApiException refusal = ApiException.tooLarge(limit);
                ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                ctx.response().endHandler(v -> ctx.request().connection().close());
                write(ctx, 413, refusal.slug(), refusal.title(), refusal.getMessage(), "body");
                return;
            }
        }
        ctx.next();
    }

    private void streamedLength(RoutingContext ctx) {
        if (ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
            // Counted by RequestParameters' filter instead, so that going over is a problem, not an empty 413.
            ctx.remove(QUARKUS_LIMIT_KEY);
        }
        ctx.next();
    }

    /** A Vert.x handler that failed with a bare 4xx status gets a problem body instead of an empty one. */
    private void statusOnlyFailure(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (ctx.failure() == null
                && status >= 400
                && status < 500
                && !ctx.response().headWritten()) {
            write(
                    ctx,
                    status,
                    "http-" + status,
                    "Request refused",
                    "the request was refused with status " + status,
                    null);
        } else {
            ctx.next();
        }
    }

    private void write(RoutingContext ctx, int status, String slug, String title, String detail, String field) {
        Problem problem = ProblemMappers.printable(new Problem(
                Problem.type(slug),
                title,
                status,
                detail,
                ctx.normalizedPath(),
                field,
                field == null ? null : status == 413 ? "max-body-size" : "type",
                field == null
                        ? List.of()
                        : List.of(new Problem.FieldError(field, status == 413 ? "max-body-size" : "type", detail))));
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            body = "{\"status\":" + status + "}";
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(body);
    }

    private static String[] segments(String path) {
        String trimmed = path.replaceAll("^/+|/+$", "");
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/+");
    }

    private static boolean matches(String[] template, String[] actual) {
        if (template.length != actual.length) {
            return false;
        }
        for (int i = 0; i < template.length; i++) {
            boolean variable = template[i].startsWith("{") && template[i].endsWith("}") || template[i].equals("*");
            if (!variable && !template[i].equals(actual[i])) {
                return false;
            }
        }
        return true;
    }

    /** Counts what is read and refuses past the limit, without holding anything. */
    private static final class Limited extends FilterInputStream {

        private final long limit;
        private long read;
        private boolean refused;

        Limited(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        /** Once refused, the rest is never read: closing Quarkus's stream would read (drain) it to its end. */
        @Override
        public void close() throws IOException {
            if (!refused) {
                super.close();
            }
        }

        private void count(long n) throws BodyTooLargeException {
            read += n;
            if (read > limit) {
                refused = true;
                throw new BodyTooLargeException(limit);
            }
        }
    }
}
