package io.mailshot.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Who may call what, checked against a running service: every operation of its OpenAPI document, sent with no
 * token and as each single-role demo user, must be answered as the service's README table "Who may do what"
 * says. The table is the one statement of the rules: an operation without a row, or a row without an operation,
 * fails; so does a refusal that is not a problem+json, or a 403 that does not name the role that would open it.
 *
 * <p>Requests are harmless by construction: path parameters are random ids (or dummy values per the schema) and
 * bodies are empty ({@code {}} for JSON), so an allowed caller gets a 404 or a validation refusal, never a change.
 * Who signs in is the caller's business: {@link #check} is given a function from demo user to Authorization
 * header, so this stays plain Java with no knowledge of the identity provider.
 */
public final class RoleMatrix {

    /** The demo users holding exactly one realm role each, {@code mailshot-<user>}. */
    public static final List<String> USERS =
            List.of("viewer", "marketer", "approver", "routing-admin", "audience-manager", "operator");
    /** The heading of each service README's table. */
    public static final String HEADING = "## Who may do what";

    private static final String ROLE_PREFIX = "mailshot-";
    private static final Pattern ROLE = Pattern.compile("mailshot-[a-z-]+");
    private static final Pattern ENDPOINT = Pattern.compile("^`?(GET|POST|PUT|PATCH|DELETE) (/\\S*?)`?$");
    private static final String PROBLEM = "application/problem+json";
    private static final Set<Integer> SWAGGER_OK = Set.of(200, 301, 302, 303, 307, 308);

    /**
     * One row of the table: an operation and the users it is open to; {@code open} when it needs no token at all
     * (only the platform's own endpoints under {@code /q/} may be).
     */
    public record Rule(String method, String path, Set<String> users, boolean open) {

        String key() {
            return method + " " + path;
        }

        /** The realm roles that open it, as a 403 must name them. */
        List<String> roles() {
            return users.stream().map(u -> ROLE_PREFIX + u).toList();
        }
    }

    /** What a run sent and found: statuses per operation and caller, and every answer that broke a rule. */
    public record Report(Map<String, Map<String, Integer>> statuses, List<String> failures) {

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder();
            statuses.forEach((op, byCaller) -> out.append(String.format("  %-50s %s%n", op, byCaller)));
            if (!failures.isEmpty()) {
                out.append(failures.size()).append(" failures:\n  ").append(String.join("\n  ", failures));
            }
            return out.toString();
        }
    }

    private record Answer(int status, String contentType, String body, List<String> challenges, String location) {}

    private final URI base;
    private final OpenApi api;
    private final List<Rule> rules;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private RoleMatrix(URI base, OpenApi api, List<Rule> rules) {
        this.base = base;
        this.api = api;
        this.rules = rules;
    }

    /**
     * Reads the service's OpenAPI document from {@code base}/q/openapi, without a token: it must be open (a
     * failure to read it says so).
     */
    public static RoleMatrix against(URI base, List<Rule> rules) throws IOException, InterruptedException {
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> doc = client.send(
                HttpRequest.newBuilder(base.resolve("/q/openapi?format=json"))
                        .header("Accept", "application/json")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (doc.statusCode() != 200) {
            throw new AssertionError("GET /q/openapi without a token must answer 200, not " + doc.statusCode());
        }
        return new RoleMatrix(base, OpenApi.parse(doc.body()), rules);
    }

    /** The rules of the README at {@code readme}: the table under {@link #HEADING}. */
    public static List<Rule> readme(Path readme) throws IOException {
        return table(Files.readString(readme, StandardCharsets.UTF_8));
    }

    /**
     * Parses the table under {@link #HEADING} of a Markdown text. Each row is {@code | `METHOD /path` | roles | …}
     * (further columns are for readers); roles are realm role names ({@code `mailshot-marketer`}, several joined
     * by "or" or commas), {@code any role} (any of the six), or {@code open} (no token: only under {@code /q/}).
     */
    public static List<Rule> table(String markdown) {
        List<String> lines = markdown.lines().toList();
        int start = lines.indexOf(HEADING);
        if (start < 0) {
            throw new IllegalArgumentException("no '" + HEADING + "' section");
        }
        List<Rule> rules = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("#")) {
                break;
            }
            String trimmed = line.trim();
            if (!trimmed.startsWith("|")) {
                continue;
            }
            String[] cells = trimmed.substring(1).split("\\|");
            if (cells.length < 2) {
                throw new IllegalArgumentException("a row needs an endpoint and its roles: " + line);
            }
            String endpoint = cells[0].trim();
            if (endpoint.equalsIgnoreCase("endpoint") || endpoint.matches("-+|:?-+:?")) {
                continue;
            }
            Matcher m = ENDPOINT.matcher(endpoint);
            if (!m.matches()) {
                throw new IllegalArgumentException("not `METHOD /path`: '" + endpoint + "' in " + line);
            }
            Rule rule = rule(m.group(1), m.group(2), cells[1].trim());
            if (!seen.add(rule.key())) {
                throw new IllegalArgumentException("two rows for " + rule.key());
            }
            rules.add(rule);
        }
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("the '" + HEADING + "' section has no table rows");
        }
        return rules;
    }

    private static Rule rule(String method, String path, String roles) {
        String text = roles.replace("`", "").toLowerCase(Locale.ROOT);
        if (text.startsWith("open")) {
            if (!path.startsWith("/q/")) {
                throw new IllegalArgumentException(method + " " + path + ": only /q/ endpoints may be open");
            }
            return new Rule(method, path, Set.of(), true);
        }
        if (text.startsWith("any role")) {
            return new Rule(method, path, new LinkedHashSet<>(USERS), false);
        }
        Set<String> users = new LinkedHashSet<>();
        Matcher m = ROLE.matcher(text);
        while (m.find()) {
            String user = m.group().substring(ROLE_PREFIX.length());
            if (!USERS.contains(user)) {
                throw new IllegalArgumentException(method + " " + path + ": no such role " + m.group());
            }
            users.add(user);
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException(method + " " + path + ": no role named in '" + roles + "'");
        }
        return new Rule(method, path, users, false);
    }

    /**
     * The rows and the operations, matched: an operation without a row (a new endpoint without a rule) and a row
     * without an operation (a removed or renamed endpoint) are each named. Open rows are not in the document.
     */
    public static List<String> coverage(OpenApi api, List<Rule> rules) {
        Set<String> operations = api.operations().stream()
                .map(OpenApi.Operation::toString)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        Set<String> ruled = rules.stream()
                .filter(r -> !r.open())
                .map(Rule::key)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        List<String> failures = new ArrayList<>();
        for (String op : operations) {
            if (!ruled.contains(op)) {
                failures.add(op + ": an operation of the OpenAPI document without a row in '" + HEADING + "'");
            }
        }
        for (String row : ruled) {
            if (!operations.contains(row)) {
                failures.add(row + ": a row of '" + HEADING + "' that the OpenAPI document has no operation for");
            }
        }
        return failures;
    }

    /**
     * Sends every operation with no token and as each of {@link #USERS} ({@code authorization} gives a user's
     * Authorization header), and the open endpoints without a token; throws an {@link AssertionError} listing
     * every answer that is not what the table says. Returns the report.
     */
    public Report check(Function<String, String> authorization) {
        List<String> failures = new ArrayList<>(coverage(api, rules));
        Map<String, Map<String, Integer>> statuses = new TreeMap<>();
        Map<String, Rule> byKey = new LinkedHashMap<>();
        rules.forEach(r -> byKey.put(r.key(), r));
        for (Rule rule : rules) {
            if (rule.open()) {
                Answer a = send(rule.method(), rule.path(), null, null, null, failures);
                if (a == null) {
                    continue;
                }
                statuses.put(rule.key(), Map.of("anonymous", a.status()));
                if (!openAnswer(rule.path(), a.status())) {
                    failures.add(rule.key() + " without a token -> " + a.status() + ": it must be open");
                } else if (a.status() >= 300 && a.status() < 400) {
                    // Swagger UI redirects to its page: that page must be served without a token too.
                    Answer page = a.location() == null
                            ? null
                            : send(
                                    "GET",
                                    URI.create(rule.path())
                                            .resolve(a.location())
                                            .getRawPath(),
                                    null,
                                    null,
                                    null,
                                    failures);
                    if (page == null || page.status() != 200) {
                        failures.add(rule.key() + " redirects to " + a.location() + ", which answers "
                                + (page == null ? "nothing" : page.status()) + " without a token");
                    }
                }
            }
        }
        for (OpenApi.Operation op : api.operations()) {
            Rule rule = byKey.get(op.toString());
            if (rule == null) {
                continue;
            }
            String path = concrete(op);
            String contentType = null;
            byte[] body = null;
            if (!op.bodies().isEmpty()) {
                contentType = op.bodies().containsKey("application/json")
                        ? "application/json"
                        : op.bodies().keySet().iterator().next();
                body = contentType.equals("application/json") ? "{}".getBytes(StandardCharsets.UTF_8) : new byte[0];
            }
            Map<String, Integer> seen = new LinkedHashMap<>();
            statuses.put(op.toString(), seen);
            Answer anonymous = send(op.method(), path, contentType, body, null, failures);
            if (anonymous != null) {
                seen.put("anonymous", anonymous.status());
                String why = unauthenticated(anonymous);
                if (why != null) {
                    failures.add(op + " without a token -> " + anonymous.status() + " " + abbreviate(anonymous.body())
                            + ": " + why);
                }
            }
            for (String user : USERS) {
                Answer a = send(op.method(), path, contentType, body, authorization.apply(user), failures);
                if (a == null) {
                    continue;
                }
                seen.put(user, a.status());
                String why = rule.users().contains(user) ? allowed(a) : refused(a, rule.roles());
                if (why != null) {
                    failures.add(op + " as " + user + " -> " + a.status() + " " + abbreviate(a.body()) + ": " + why);
                }
            }
        }
        Report report = new Report(statuses, failures);
        System.out.println("Role matrix of " + base + " (" + api.operations().size() + " operations):\n" + report);
        if (!failures.isEmpty()) {
            throw new AssertionError("the role matrix does not hold:\n  " + String.join("\n  ", failures));
        }
        return report;
    }

    /** Health may be 503 while the service is not ready; Swagger UI may redirect to its page. */
    private static boolean openAnswer(String path, int status) {
        if (path.startsWith("/q/health")) {
            return status == 200 || status == 503;
        }
        if (path.startsWith("/q/swagger-ui")) {
            return SWAGGER_OK.contains(status);
        }
        return status == 200;
    }

    private String unauthenticated(Answer a) {
        if (a.status() != 401) {
            return "expected 401";
        }
        String problem = problem(a);
        if (problem != null) {
            return problem;
        }
        if (a.challenges().stream().noneMatch(c -> c.regionMatches(true, 0, "Bearer", 0, 6))) {
            return "no 'WWW-Authenticate: Bearer' challenge (" + a.challenges() + ")";
        }
        return null;
    }

    private String allowed(Answer a) {
        if (a.status() == 401 || a.status() == 403) {
            return "refused a caller whose role opens it";
        }
        if (a.status() >= 500) {
            return "a server error";
        }
        return a.status() >= 400 ? problem(a) : null;
    }

    private String refused(Answer a, List<String> roles) {
        if (a.status() != 403) {
            return "expected 403: the caller's role does not open it (needs " + String.join(" or ", roles) + ")";
        }
        String problem = problem(a);
        if (problem != null) {
            return problem;
        }
        List<String> unnamed = roles.stream().filter(r -> !a.body().contains(r)).toList();
        return unnamed.isEmpty() ? null : "the 403 problem does not name " + String.join(", ", unnamed);
    }

    /** Why the answer is not a problem+json of its status with a detail, or null. */
    private String problem(Answer a) {
        if (!a.contentType().startsWith(PROBLEM)) {
            return "a " + a.status() + " that is not " + PROBLEM + " (" + a.contentType() + ")";
        }
        JsonNode problem;
        try {
            problem = json.readTree(a.body());
        } catch (IOException e) {
            return "a problem that is not JSON";
        }
        if (problem == null || problem.path("status").asInt() != a.status()) {
            return "problem status is not the HTTP status";
        }
        if (problem.path("detail").asText("").isBlank()) {
            return "a problem without a detail";
        }
        return null;
    }

    private Answer send(
            String method, String path, String contentType, byte[] body, String authorization, List<String> failures) {
        URI uri = URI.create(base.toString().replaceAll("/$", "") + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(60))
                .header("Accept", "*/*")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            String type = response.headers().firstValue("Content-Type").orElse("");
            String text;
            try (InputStream in = response.body()) {
                // A stream (server-sent events) that opened is an allowed answer; its body never ends.
                text = type.startsWith("text/event-stream")
                        ? ""
                        : new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
            }
            return new Answer(
                    response.statusCode(),
                    type,
                    text,
                    response.headers().allValues("WWW-Authenticate"),
                    response.headers().firstValue("Location").orElse(null));
        } catch (IOException e) {
            failures.add(method + " " + path + ": no answer (" + e + ")");
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The operation's path with a random id for each UUID parameter, a dummy value of the schema otherwise. */
    private String concrete(OpenApi.Operation op) {
        String path = op.path();
        for (OpenApi.Parameter p : op.pathParameters()) {
            path = path.replace("{" + p.name() + "}", dummy(p.schema()));
        }
        List<String> query = new ArrayList<>();
        for (OpenApi.Parameter p : op.parameters()) {
            if (p.in().equals("query") && p.required()) {
                query.add(p.name() + "=" + dummy(p.schema()));
            }
        }
        return query.isEmpty() ? path : path + "?" + String.join("&", query);
    }

    private String dummy(JsonNode schema) {
        JsonNode s = api.resolve(schema);
        if (s.path("enum").size() > 0) {
            return s.path("enum").get(0).asText();
        }
        return switch (api.type(schema)) {
            case "integer", "number" -> "1";
            case "boolean" -> "false";
            default ->
                s.path("format").asText().equals("uuid") ? UUID.randomUUID().toString() : "matrix1";
        };
    }

    private static String abbreviate(String text) {
        String oneLine = text.replace("\n", " ");
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
    }
}
