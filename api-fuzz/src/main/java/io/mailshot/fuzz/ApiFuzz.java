package io.mailshot.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fuzzes a running service through its own OpenAPI document ({@code /q/openapi}): generates the cases
 * ({@link RequestFuzzer}), sends them one by one and checks every answer. Never a 5xx; every 4xx an
 * {@code application/problem+json} whose {@code status} is the HTTP status and whose {@code detail} is not
 * empty; and what each case expects on top (its status, the field its problem names).
 */
public final class ApiFuzz {

    /** What a run found: how many cases were sent, the statuses seen, and every case that broke a rule. */
    public record Report(int sent, Map<Integer, Integer> statuses, List<String> failures) {

        @Override
        public String toString() {
            return sent + " cases, statuses " + statuses
                    + (failures.isEmpty()
                            ? ", all as expected"
                            : ", " + failures.size() + " failures:\n  " + String.join("\n  ", failures));
        }
    }

    private record Answer(int status, String contentType, String body) {}

    private final URI base;
    private final OpenApi api;
    private final RequestFuzzer fuzzer;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final ObjectMapper json = new ObjectMapper();
    private String authorization;

    private ApiFuzz(URI base, OpenApi api, long seed, Map<String, Map<String, String>> known) {
        this.base = base;
        this.api = api;
        this.fuzzer = new RequestFuzzer(api, seed, known);
    }

    /** Reads the service's OpenAPI document from {@code base}/q/openapi. */
    public static ApiFuzz against(URI base, long seed) throws IOException, InterruptedException {
        return against(base, seed, Map.of());
    }

    /**
     * As {@link #against(URI, long)}, with ids of resources that exist for the body cases, by path template and
     * parameter (see {@link RequestFuzzer#RequestFuzzer(OpenApi, long, Map)}).
     */
    public static ApiFuzz against(URI base, long seed, Map<String, Map<String, String>> known)
            throws IOException, InterruptedException {
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> doc = client.send(
                HttpRequest.newBuilder(base.resolve("/q/openapi?format=json"))
                        .header("Accept", "application/json")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (doc.statusCode() != 200) {
            throw new IllegalStateException("no OpenAPI document at /q/openapi: " + doc.statusCode());
        }
        return new ApiFuzz(base, OpenApi.parse(doc.body()), seed, known);
    }

    /**
     * Sends every case with this {@code Authorization} header: the cases are about malformed input, so they are
     * sent by a caller allowed to send it (who may do what is the role matrix's test, not the fuzzer's).
     */
    public ApiFuzz signedIn(String authorization) {
        this.authorization = authorization;
        return this;
    }

    public OpenApi api() {
        return api;
    }

    /** Malformed bodies of every POST, PUT and PATCH operation. */
    public List<FuzzCase> bodyCases() {
        return fuzzer.bodyCases();
    }

    /** Malformed path parameters of every operation, and query parameters and negotiation of every GET. */
    public List<FuzzCase> parameterCases() {
        return fuzzer.parameterCases();
    }

    /**
     * What every service's fuzz test asserts: at least {@code minimum} body cases, sent, each answered as the
     * rules say; throws an {@link AssertionError} listing every case that was not. Returns the report.
     */
    public Report checkBodies(int minimum) {
        List<FuzzCase> cases = bodyCases();
        if (cases.size() < minimum) {
            throw new AssertionError("only " + cases.size() + " body cases, fewer than " + minimum);
        }
        return check("bodies", cases);
    }

    /** The same for every path and query parameter case. */
    public Report checkParameters() {
        return check("parameters", parameterCases());
    }

    private Report check(String what, List<FuzzCase> cases) {
        Report report = run(cases);
        System.out.println("API fuzz, " + what + ": " + report.sent() + " cases, statuses " + report.statuses());
        if (!report.failures().isEmpty()) {
            throw new AssertionError(report.toString());
        }
        return report;
    }

    public Report run(List<FuzzCase> cases) {
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (FuzzCase c : cases) {
            Answer answer;
            try {
                answer = c.declaredLength() != null ? sendByHand(c) : send(c);
            } catch (IOException e) {
                failures.add(c + ": no answer (" + e + ")");
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            statuses.merge(answer.status(), 1, Integer::sum);
            String why = check(c, answer);
            if (why != null) {
                failures.add(c + " -> " + answer.status() + " " + abbreviate(answer.body()) + ": " + why);
            }
        }
        return new Report(cases.size(), statuses, failures);
    }

    private Answer send(FuzzCase c) throws IOException, InterruptedException {
        URI uri = URI.create(base.toString().replaceAll("/$", "") + c.path());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(60))
                .method(
                        c.method(),
                        c.body() == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(c.body()));
        if (c.contentType() != null) {
            request.header("Content-Type", c.contentType());
        }
        if (c.accept() != null) {
            request.header("Accept", c.accept());
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(
                response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""),
                new String(response.body(), StandardCharsets.UTF_8));
    }

    /** Announces {@link FuzzCase#declaredLength()} bytes, sends a few, and reads the answer (from the headers). */
    private Answer sendByHand(FuzzCase c) throws IOException {
        RawHttp.Answer raw =
                RawHttp.declared(base, c.method(), c.path(), c.contentType(), c.declaredLength(), authorization);
        return new Answer(raw.status(), raw.contentType(), raw.body());
    }

    /** Why the answer breaks a rule, or null when it keeps them all. */
    private String check(FuzzCase c, Answer a) {
        if (a.status() >= 500) {
            return "a server error for client input";
        }
        if (!c.expect().statuses().isEmpty() && !c.expect().statuses().contains(a.status())) {
            return "expected " + c.expect().statuses();
        }
        if (a.status() < 400) {
            return null;
        }
        if (!a.contentType().startsWith("application/problem+json")) {
            return "a " + a.status() + " that is not application/problem+json (" + a.contentType() + ")";
        }
        JsonNode problem;
        try {
            problem = json.readTree(a.body());
        } catch (IOException e) {
            return "a problem that is not JSON";
        }
        if (problem == null || problem.path("status").asInt() != a.status()) {
            return "problem status " + (problem == null ? null : problem.path("status")) + " is not the HTTP status";
        }
        if (problem.path("detail").asText("").isBlank()) {
            return "a problem without a detail";
        }
        String field = c.expect().field();
        if (field != null && !names(problem, field)) {
            return "the problem does not name " + field;
        }
        return null;
    }

    /** Whether the problem's field, or one of its errors, is {@code field} or a part of it. */
    private static boolean names(JsonNode problem, String field) {
        List<String> named = new ArrayList<>();
        named.add(problem.path("field").asText(""));
        problem.path("errors").forEach(e -> named.add(e.path("field").asText("")));
        for (String n : named) {
            if (n.equals(field) || n.startsWith(field + ".") || n.startsWith(field + "[")) {
                return true;
            }
        }
        return false;
    }

    private static String abbreviate(String text) {
        String oneLine = text.replace("\n", " ");
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "…" : oneLine;
    }
}
