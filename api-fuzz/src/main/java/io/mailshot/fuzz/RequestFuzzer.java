package io.mailshot.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Generates malformed requests from an OpenAPI document. For every POST, PUT and PATCH body: a plausible body
 * built from its schema, then that body broken at one field at a time (each wrong JSON type, null, NUL and lone
 * surrogates, text past its length, numbers out of range, fractions, an unknown or repeated member, a required
 * member left out), and broken as a whole (invalid JSON, invalid UTF-8, empty, another JSON type, deep nesting,
 * another content type, an Accept it cannot meet, a method the path does not have, a length far over any limit).
 * For every operation: malformed path parameters; for every GET, malformed query parameters. Deterministic for a
 * seed.
 */
public final class RequestFuzzer {

    /** Object schemas are walked this deep; the plausible body stops here too. */
    private static final int MAX_DEPTH = 5;

    private static final String JSON = "application/json";
    private static final String ANY = "*/*";
    /** Longer than any length limit of the API (the largest is 65,536). */
    private static final int HUGE_TEXT = 100_000;
    /** Far more than any body limit, bulk ones included: refused from the headers. */
    private static final long TERABYTE = 1L << 40;

    private final OpenApi api;
    private final Random random;
    /** Ids of resources that exist, by path template and parameter, for the body cases (else random ones). */
    private final Map<String, Map<String, String>> known;
    /** Escapes all but ASCII, so a lone surrogate goes out as {@code \\uD800} and not as a replaced byte. */
    private final ObjectMapper json =
            JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private final JsonNodeFactory nodes = JsonNodeFactory.instance;

    public RequestFuzzer(OpenApi api, long seed) {
        this(api, seed, Map.of());
    }

    /**
     * @param known for body cases, path parameter values by path template (such as {@code /campaigns/{id}/simulate})
     *     and parameter name: a body is then read by an operation on a resource that exists, so the service's own
     *     logic sees it, not only the parser. Other path parameters get random ids.
     */
    public RequestFuzzer(OpenApi api, long seed, Map<String, Map<String, String>> known) {
        this.api = api;
        this.random = new Random(seed);
        this.known = known;
    }

    /** Where a value sits in a body: member names and array indexes from the root. */
    private record Slot(List<Object> steps, JsonNode schema, boolean required, boolean inMap) {

        String path() {
            StringBuilder path = new StringBuilder();
            for (Object step : steps) {
                if (step instanceof Integer index) {
                    path.append('[').append(index).append(']');
                } else {
                    path.append(path.length() == 0 ? "" : ".").append(step);
                }
            }
            return path.toString();
        }
    }

    // ------------------------------------------------------------------------------------------------ bodies

    /** Malformed bodies for every operation that takes one. */
    public List<FuzzCase> bodyCases() {
        List<FuzzCase> cases = new ArrayList<>();
        for (OpenApi.Operation op : api.operations()) {
            if (!List.of("POST", "PUT", "PATCH").contains(op.method())) {
                continue;
            }
            boolean jsonBody = false;
            for (Map.Entry<String, JsonNode> body : op.bodies().entrySet()) {
                boolean binary =
                        api.resolve(body.getValue()).path("format").asText().equals("binary");
                if (body.getKey().equals(JSON) && !binary) {
                    jsonBody = true;
                    jsonCases(op, body.getValue(), cases);
                }
            }
            if (!jsonBody && !op.bodies().isEmpty()) {
                rawCases(op, op.bodies().keySet().iterator().next(), cases);
            }
            if (!op.bodies().isEmpty()) {
                cases.add(new FuzzCase(
                        "a length far over every limit",
                        op.method(),
                        concrete(op),
                        JSON,
                        ANY,
                        new byte[0],
                        TERABYTE,
                        FuzzCase.Expect.status(413)));
            }
        }
        return cases;
    }

    private void jsonCases(OpenApi.Operation op, JsonNode schema, List<FuzzCase> cases) {
        String path = concrete(op);
        JsonNode base = plausible(schema, 0);
        List<Slot> slots = new ArrayList<>();
        walk(schema, new ArrayList<>(), true, false, 0, slots);
        for (Slot slot : slots) {
            if (slot.steps().isEmpty()) {
                continue;
            }
            for (Mutation m : mutations(slot)) {
                cases.add(jsonCase(
                        op, path, m.name() + " at " + slot.path(), set(base, slot.steps(), m.value()), m.expect()));
            }
            if (slot.inMap() || !slot.required() && !api.type(slot.schema()).equals("any")) {
                // Leaving it out is allowed; null is too unless it is required.
                cases.add(jsonCase(
                        op,
                        path,
                        "null at " + slot.path(),
                        set(base, slot.steps(), nodes.nullNode()),
                        FuzzCase.Expect.anyClientOutcome()));
            } else if (slot.required()) {
                cases.add(jsonCase(
                        op,
                        path,
                        "null at " + slot.path(),
                        set(base, slot.steps(), nodes.nullNode()),
                        FuzzCase.Expect.refused(slot.path())));
                cases.add(jsonCase(
                        op,
                        path,
                        "required member left out: " + slot.path(),
                        remove(base, slot.steps()),
                        FuzzCase.Expect.refused(slot.path())));
            }
            for (byte[] bytes : rawTextBodies(base, slot)) {
                cases.add(new FuzzCase(
                        "bytes that are not UTF-8 text at " + slot.path(),
                        op.method(),
                        path,
                        JSON,
                        ANY,
                        bytes,
                        null,
                        new FuzzCase.Expect(Set.of(400), null)));
            }
        }
        for (Slot slot : slots) {
            JsonNode resolved = api.resolve(slot.schema());
            if (!api.type(slot.schema()).equals("object") || slot.inMap() || !resolved.has("properties")) {
                continue;
            }
            String prefix = slot.path().isEmpty() ? "" : slot.path() + ".";
            List<Object> unknown = new ArrayList<>(slot.steps());
            unknown.add("zzUnknownMember");
            cases.add(jsonCase(
                    op,
                    path,
                    "unknown member in " + describe(slot),
                    set(base, unknown, nodes.numberNode(1)),
                    FuzzCase.Expect.refused(prefix + "zzUnknownMember")));
            Iterator<String> names = resolved.path("properties").fieldNames();
            if (names.hasNext()) {
                String first = names.next();
                cases.add(new FuzzCase(
                        "member given twice in " + describe(slot) + ": " + first,
                        op.method(),
                        path,
                        JSON,
                        ANY,
                        duplicated(base, slot.steps(), first),
                        null,
                        FuzzCase.Expect.refused(prefix + first)));
            }
        }
        wholeBodyCases(op, path, base, cases);
    }

    private void wholeBodyCases(OpenApi.Operation op, String path, JsonNode base, List<FuzzCase> cases) {
        String text = write(base);
        FuzzCase.Expect malformed = FuzzCase.Expect.status(400);
        String[] broken = {
            "{",
            "}",
            "{\"a\":}",
            "{\"a\" 1}",
            "{'a': 1}",
            "nul",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\":01}",
            "{\"a\":NaN}",
            "{\"a\":\"unterminated}",
            "/* comment */ {}",
            text.substring(0, text.length() / 2),
            text + " trailing",
            text + text
        };
        for (String b : broken) {
            cases.add(body(op, path, "invalid JSON: " + abbreviate(b), JSON, b, malformed));
        }
        FuzzCase.Expect notABody = op.bodyRequired() ? malformed : FuzzCase.Expect.anyClientOutcome();
        cases.add(new FuzzCase("empty body", op.method(), path, JSON, ANY, new byte[0], null, notABody));
        cases.add(body(op, path, "JSON null body", JSON, "null", notABody));
        for (String other : new String[] {"[]", "[" + text + "]", "\"text\"", "42", "-1.5", "true"}) {
            cases.add(body(op, path, "a body of another JSON type: " + abbreviate(other), JSON, other, malformed));
        }
        cases.add(new FuzzCase(
                "invalid UTF-8 bytes",
                op.method(),
                path,
                JSON,
                ANY,
                new byte[] {'{', '"', (byte) 0xFF, (byte) 0xFE, '"', ':', '1', '}'},
                null,
                malformed));
        cases.add(body(op, path, "a member name with NUL", JSON, "{\"a\\u0000\": 1}", malformed));
        cases.add(body(op, path, "a member name with a lone surrogate", JSON, "{\"\\uD800\": 1}", malformed));
        cases.add(body(op, path, "arrays nested 5,000 deep", JSON, "[".repeat(5000) + "]".repeat(5000), malformed));
        cases.add(body(
                op,
                path,
                "objects nested 5,000 deep",
                JSON,
                "{\"a\":".repeat(5000) + "1" + "}".repeat(5000),
                malformed));
        for (String type : new String[] {
            "text/plain",
            "application/xml",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/json-patch+json"
        }) {
            cases.add(body(op, path, "content type " + type, type, text, FuzzCase.Expect.status(415)));
        }
        cases.add(new FuzzCase(
                "no content type",
                op.method(),
                path,
                null,
                ANY,
                text.getBytes(StandardCharsets.UTF_8),
                null,
                FuzzCase.Expect.anyClientOutcome()));
        cases.add(new FuzzCase(
                "an Accept it cannot meet",
                op.method(),
                path,
                JSON,
                "application/xml",
                text.getBytes(StandardCharsets.UTF_8),
                null,
                FuzzCase.Expect.status(406)));
    }

    /** Bodies that are not JSON documents (NDJSON, CSV, text): broken lines and encodings, other types. */
    private void rawCases(OpenApi.Operation op, String mediaType, List<FuzzCase> cases) {
        String path = concrete(op);
        FuzzCase.Expect any = FuzzCase.Expect.anyClientOutcome();
        String[] bodies = {
            "",
            "\n\n",
            "\r\n",
            "not json at all",
            "{",
            "{\"a\":1}\n{",
            "[]",
            "null\n42\n\"x\"",
            "true\nfalse\n[1,2]\n-1.5e400",
            "{\"a\":\"\\u0000\"}",
            "{\"a\":\"\\uD800\"}",
            "{\"a\\u0000\":1}",
            "{\"a\":1,\"a\":2}",
            "{\"identity\":1}",
            "{\"identity\":{\"namespace\":[],\"id\":{}}}",
            "{\"identity\":{\"namespace\":\"crmId\",\"id\":\"\\u0000\"}}",
            "[".repeat(5000),
            "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}",
            "a,b\n\"unterminated",
            "h1,h2\nx,y,z\n",
            "\uFEFF{\"a\":1}\n\uFEFF{\"a\":2}",
            "x".repeat(2_000_000)
        };
        for (String b : bodies) {
            cases.add(body(op, path, "malformed " + mediaType + ": " + abbreviate(b), mediaType, b, any));
        }
        cases.add(new FuzzCase(
                "NUL bytes", op.method(), path, mediaType, ANY, new byte[] {'a', 0, 'b', '\n'}, null, any));
        cases.add(new FuzzCase(
                "invalid UTF-8 bytes",
                op.method(),
                path,
                mediaType,
                ANY,
                new byte[] {'a', (byte) 0xFF, (byte) 0xC0, (byte) 0x80, '\n'},
                null,
                any));
        cases.add(new FuzzCase(
                "an encoded lone surrogate",
                op.method(),
                path,
                mediaType,
                ANY,
                new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}', '\n'},
                null,
                any));
        cases.add(
                body(op, path, "content type application/xml", "application/xml", "<a/>", FuzzCase.Expect.status(415)));
        cases.add(new FuzzCase(
                "no content type", op.method(), path, null, ANY, "x\n".getBytes(StandardCharsets.UTF_8), null, any));
        cases.add(body(op, path, "an Accept it cannot meet", mediaType, "x", FuzzCase.Expect.status(406))
                .withAccept("application/xml"));
        for (OpenApi.Parameter q : op.parameters()) {
            if (q.in().equals("query")) {
                for (String bad : new String[] {"%00", "a%00b", "%ED%A0%80", "%FF"}) {
                    cases.add(body(
                            op,
                            path + (path.contains("?") ? "&" : "?") + q.name() + "=" + bad,
                            "query " + q.name() + "=" + bad,
                            mediaType,
                            "x\n",
                            FuzzCase.Expect.refused(q.name())));
                }
            }
        }
    }

    private record Mutation(String name, JsonNode value, FuzzCase.Expect expect) {}

    private List<Mutation> mutations(Slot slot) {
        List<Mutation> result = new ArrayList<>();
        String path = slot.path();
        String type = api.type(slot.schema());
        JsonNode s = api.resolve(slot.schema());
        FuzzCase.Expect refused = FuzzCase.Expect.refused(path);
        // Validation messages name a map's values as "name[key].<map value>": only the status is checked there.
        FuzzCase.Expect validated = slot.inMap() ? FuzzCase.Expect.status(400) : refused;
        result.add(new Mutation("NUL in a string", nodes.textNode("a\u0000b"), refused));
        result.add(new Mutation("a lone high surrogate", nodes.textNode("a\uD800b"), refused));
        result.add(new Mutation("a lone low surrogate", nodes.textNode("\uDC00"), refused));
        if (type.equals("any")) {
            // Any JSON value is allowed here, but not text that cannot be stored, wherever it sits.
            ObjectNode nested = nodes.objectNode();
            nested.putArray("deep").addObject().put("x", "\u0000");
            result.add(new Mutation(
                    "NUL deep inside a free-form value", nested, FuzzCase.Expect.refused(path + ".deep[0].x")));
            ObjectNode surrogate = nodes.objectNode();
            surrogate.putObject("a").putArray("b").add("ok").add("\uDBFF");
            result.add(new Mutation(
                    "a lone surrogate deep inside a free-form value",
                    surrogate,
                    FuzzCase.Expect.refused(path + ".a.b[1]")));
            ObjectNode badName = nodes.objectNode();
            badName.putObject("a").put("b\u0000", 1);
            result.add(new Mutation(
                    "NUL in a member name inside a free-form value", badName, FuzzCase.Expect.refused(path + ".a")));
            for (JsonNode value : List.of(
                    nodes.textNode("x".repeat(HUGE_TEXT)),
                    deep(300),
                    nodes.numberNode(new BigDecimal("1e400")),
                    nodes.numberNode(BigInteger.TEN.pow(30)),
                    nodes.arrayNode(),
                    nodes.objectNode(),
                    nodes.booleanNode(true),
                    nodes.textNode(""))) {
                result.add(new Mutation(
                        "the free-form value " + abbreviate(value.toString()),
                        value,
                        FuzzCase.Expect.anyClientOutcome()));
            }
            return result;
        }
        for (JsonNode wrong : wrongTypes(type)) {
            result.add(new Mutation("wrong type " + abbreviate(wrong.toString()), wrong, refused));
        }
        if (type.equals("string")) {
            if (s.has("enum") && s.get("enum").size() > 0) {
                String first = s.get("enum").get(0).asText();
                result.add(new Mutation("not one of the enum", nodes.textNode("NOT_" + first), refused));
                result.add(new Mutation("the enum's ordinal", nodes.numberNode(0), refused));
                if (!first.toLowerCase().equals(first)) {
                    result.add(new Mutation("the enum in lower case", nodes.textNode(first.toLowerCase()), refused));
                }
                result.add(new Mutation("the enum with a space", nodes.textNode(" " + first), refused));
            }
            switch (s.path("format").asText()) {
                case "uuid" -> {
                    result.add(new Mutation("not a UUID", nodes.textNode("not-a-uuid"), refused));
                    result.add(new Mutation("an empty UUID", nodes.textNode(""), refused));
                    result.add(new Mutation("a short UUID", nodes.textNode("1-1-1-1-1"), refused));
                }
                case "date-time" -> {
                    result.add(new Mutation("not a date-time", nodes.textNode("tomorrow"), refused));
                    result.add(new Mutation("month 13", nodes.textNode("2024-13-01T00:00:00Z"), refused));
                    result.add(new Mutation("epoch seconds", nodes.numberNode(1_700_000_000), refused));
                }
                case "date" -> {
                    result.add(new Mutation("not an ISO date", nodes.textNode("31/01/2024"), refused));
                    result.add(new Mutation("a date as an array", array(2024, 1, 31), refused));
                    result.add(new Mutation("epoch days", nodes.numberNode(19_000), refused));
                }
                default -> {}
            }
            boolean limited = s.has("maxLength")
                    || s.has("enum")
                    || List.of("uuid", "date", "date-time")
                            .contains(s.path("format").asText());
            result.add(new Mutation(
                    "a string of " + HUGE_TEXT + " characters",
                    nodes.textNode("x".repeat(HUGE_TEXT)),
                    limited ? validated : FuzzCase.Expect.anyClientOutcome()));
        }
        if (type.equals("integer")) {
            result.add(new Mutation("10^30", nodes.numberNode(BigInteger.TEN.pow(30)), refused));
            result.add(new Mutation(
                    "-10^30", nodes.numberNode(BigInteger.TEN.pow(30).negate()), refused));
            result.add(new Mutation("a fraction", nodes.numberNode(0.5), refused));
            result.add(new Mutation("1e400", nodes.numberNode(new BigDecimal("1e400")), refused));
        }
        if (type.equals("integer") || type.equals("number")) {
            if (s.has("minimum")) {
                result.add(new Mutation(
                        "below its minimum", nodes.numberNode(s.get("minimum").asLong() - 1), validated));
            } else {
                result.add(new Mutation("negative", nodes.numberNode(-1), FuzzCase.Expect.anyClientOutcome()));
            }
            if (s.has("maximum")) {
                result.add(new Mutation(
                        "above its maximum", nodes.numberNode(s.get("maximum").asLong() + 1), validated));
            }
        }
        if (type.equals("array") && s.has("maxItems") && !s.path("uniqueItems").asBoolean(false)) {
            ArrayNode many = nodes.arrayNode();
            JsonNode item = plausible(s.path("items"), 4);
            for (int i = 0; i <= s.get("maxItems").asInt() && i < 10_001; i++) {
                many.add(item.deepCopy());
            }
            result.add(new Mutation("more items than its maximum", many, validated));
        }
        return result;
    }

    private List<JsonNode> wrongTypes(String type) {
        List<JsonNode> all = new ArrayList<>();
        if (!type.equals("string")) {
            all.add(nodes.textNode("x"));
            all.add(nodes.textNode(""));
            all.add(nodes.textNode("1"));
            all.add(nodes.textNode("true"));
        }
        if (!type.equals("integer") && !type.equals("number")) {
            all.add(nodes.numberNode(12));
            all.add(nodes.numberNode(0));
            all.add(nodes.numberNode(-1.5));
        }
        if (type.equals("integer")) {
            all.add(nodes.numberNode(1.0));
        }
        if (!type.equals("boolean")) {
            all.add(nodes.booleanNode(true));
            all.add(nodes.booleanNode(false));
        }
        if (!type.equals("array")) {
            all.add(nodes.arrayNode());
            all.add(nodes.arrayNode().add("x"));
        }
        if (!type.equals("object")) {
            all.add(nodes.objectNode());
            all.add(nodes.objectNode().put("a", "b"));
        }
        if (type.equals("object")) {
            all.add(nodes.arrayNode().add(nodes.objectNode()));
        }
        // Nested 300 deep: of another type than the field at the top, whatever the field holds inside.
        all.add(type.equals("array") ? deepObject(300) : deep(300));
        return all;
    }

    // ------------------------------------------------------------------------------------------- parameters

    /**
     * Malformed path parameters of every operation (a body-taking one gets its plausible body, so only the
     * parameter is wrong); malformed query parameters, an Accept it cannot meet, an unknown sub-path and a
     * method the path does not have for every GET.
     */
    public List<FuzzCase> parameterCases() {
        List<FuzzCase> cases = new ArrayList<>();
        Set<String> paths = new HashSet<>();
        for (OpenApi.Operation op : api.operations()) {
            byte[] body = null;
            String contentType = null;
            if (op.bodies().containsKey(JSON)) {
                body = write(plausible(op.bodies().get(JSON), 0)).getBytes(StandardCharsets.UTF_8);
                contentType = JSON;
            } else if (!op.bodies().isEmpty()) {
                contentType = op.bodies().keySet().iterator().next();
                body = "x\n".getBytes(StandardCharsets.UTF_8);
            }
            for (OpenApi.Parameter p : op.pathParameters()) {
                boolean uuid = api.resolve(p.schema()).path("format").asText().equals("uuid");
                List<String> bad = new ArrayList<>(List.of("%00", "a%00b", "%ED%A0%80", "%FF", "%C0%80"));
                if (uuid) {
                    bad.addAll(List.of(
                            "not-a-uuid",
                            "1-1-1-1-1",
                            "12345",
                            UUID.randomUUID() + "0",
                            "3f2b1c4d-0000-4000-8000-00000000000g"));
                }
                for (String value : bad) {
                    cases.add(new FuzzCase(
                            "path parameter " + p.name() + "=" + value,
                            op.method(),
                            concrete(op, p.name(), value),
                            contentType,
                            ANY,
                            body,
                            null,
                            FuzzCase.Expect.refused(p.name())));
                }
                cases.add(new FuzzCase(
                        "path parameter " + p.name() + " of 2,000 characters",
                        op.method(),
                        concrete(op, p.name(), "x".repeat(2000)),
                        contentType,
                        ANY,
                        body,
                        null,
                        uuid ? FuzzCase.Expect.refused(p.name()) : FuzzCase.Expect.anyClientOutcome()));
            }
            if (!op.method().equals("GET")) {
                continue;
            }
            String path = concrete(op);
            for (OpenApi.Parameter q : op.parameters()) {
                if (!q.in().equals("query")) {
                    continue;
                }
                JsonNode s = api.resolve(q.schema());
                List<String> bad = new ArrayList<>(List.of("%00", "a%00b", "%ED%A0%80", "%FF"));
                if (api.type(q.schema()).equals("integer")) {
                    // (An empty value is the same as none: the default.)
                    bad.addAll(List.of(
                            "abc", "1.5", "1e3", "0x10", "+-1", "99999999999999999999", "-99999999999999999999"));
                    if (s.has("minimum")) {
                        bad.add(String.valueOf(s.get("minimum").asLong() - 1));
                    }
                    if (s.has("maximum")) {
                        bad.add(String.valueOf(s.get("maximum").asLong() + 1));
                    }
                }
                for (String value : bad) {
                    cases.add(new FuzzCase(
                            "query parameter " + q.name() + "=" + value,
                            "GET",
                            path + "?" + q.name() + "=" + value,
                            null,
                            ANY,
                            null,
                            null,
                            FuzzCase.Expect.refused(q.name())));
                }
            }
            cases.add(new FuzzCase(
                    "an Accept it cannot meet",
                    "GET",
                    path,
                    null,
                    "application/xml",
                    null,
                    null,
                    FuzzCase.Expect.status(406)));
            cases.add(new FuzzCase(
                    "an unknown sub-path",
                    "GET",
                    path + "/zz-unknown/zz-unknown/zz-unknown",
                    null,
                    ANY,
                    null,
                    null,
                    FuzzCase.Expect.status(404)));
        }
        for (OpenApi.Operation op : api.operations()) {
            if (!paths.add(op.path())) {
                continue;
            }
            for (String method : List.of("PATCH", "PUT", "DELETE", "POST")) {
                if (api.operations().stream()
                        .noneMatch(o -> o.path().equals(op.path()) && o.method().equals(method))) {
                    cases.add(new FuzzCase(
                            "a method the path does not have",
                            method,
                            concrete(op),
                            JSON,
                            ANY,
                            "{}".getBytes(StandardCharsets.UTF_8),
                            null,
                            FuzzCase.Expect.status(405)));
                    break;
                }
            }
        }
        cases.add(new FuzzCase(
                "an unknown path", "GET", "/zz-unknown-path", null, ANY, null, null, FuzzCase.Expect.status(404)));
        cases.add(new FuzzCase(
                "an unknown path with a body",
                "POST",
                "/zz-unknown-path",
                JSON,
                ANY,
                "{}".getBytes(StandardCharsets.UTF_8),
                null,
                FuzzCase.Expect.status(404)));
        return cases;
    }

    // ----------------------------------------------------------------------------------------------- values

    /** A value of the schema, as valid as the schema alone can tell: every member present, one item per array. */
    JsonNode plausible(JsonNode schema, int depth) {
        JsonNode s = api.resolve(schema);
        String type = api.type(schema);
        if (s.has("enum") && s.get("enum").size() > 0) {
            return s.get("enum").get(0);
        }
        switch (type) {
            case "object" -> {
                ObjectNode object = nodes.objectNode();
                if (depth >= MAX_DEPTH) {
                    return object;
                }
                s.path("properties")
                        .fields()
                        .forEachRemaining(p -> object.set(p.getKey(), plausible(p.getValue(), depth + 1)));
                if (s.path("additionalProperties").isObject()) {
                    object.set("k", plausible(s.get("additionalProperties"), depth + 1));
                }
                return object;
            }
            case "array" -> {
                ArrayNode array = nodes.arrayNode();
                if (depth < MAX_DEPTH && s.path("maxItems").asInt(1) > 0) {
                    array.add(plausible(s.path("items"), depth + 1));
                }
                return array;
            }
            case "integer", "number" -> {
                long value = s.has("minimum") ? Math.max(s.get("minimum").asLong(), 1) : 1;
                if (s.has("maximum")) {
                    value = Math.min(value, s.get("maximum").asLong());
                }
                return nodes.numberNode(value);
            }
            case "boolean" -> {
                return nodes.booleanNode(false);
            }
            case "string" -> {
                return nodes.textNode(plausibleText(s));
            }
            default -> {
                return nodes.objectNode();
            }
        }
    }

    private String plausibleText(JsonNode s) {
        switch (s.path("format").asText()) {
            case "uuid" -> {
                return new UUID(random.nextLong(), random.nextLong()).toString();
            }
            case "date-time" -> {
                return "2030-01-31T08:30:00Z";
            }
            case "date" -> {
                return "2030-01-31";
            }
            default -> {}
        }
        if (s.has("examples")
                && s.get("examples").size() > 0
                && s.get("examples").get(0).isTextual()) {
            return s.get("examples").get(0).asText();
        }
        String[] candidates = {
            "fuzz",
            "Fuzz1",
            "crmId",
            "fuzz.path",
            "08:30",
            "us-east-1",
            "a1b2c3",
            "SHA256:" + "A".repeat(43),
            "AES256",
            "x"
        };
        int min = s.path("minLength").asInt(0);
        int max = s.path("maxLength").asInt(Integer.MAX_VALUE);
        Pattern pattern = null;
        if (s.has("pattern")) {
            try {
                pattern = Pattern.compile(s.get("pattern").asText());
            } catch (PatternSyntaxException e) {
                pattern = null;
            }
        }
        for (String c : candidates) {
            if (c.length() >= min
                    && c.length() <= max
                    && (pattern == null || pattern.matcher(c).find())) {
                return c;
            }
        }
        String text = "fuzz";
        while (text.length() < min) {
            text += "z";
        }
        return text.length() > max ? text.substring(0, Math.max(max, 0)) : text;
    }

    private void walk(
            JsonNode schema, List<Object> steps, boolean required, boolean inMap, int depth, List<Slot> slots) {
        JsonNode s = api.resolve(schema);
        slots.add(new Slot(List.copyOf(steps), schema, required, inMap));
        if (depth >= MAX_DEPTH) {
            return;
        }
        switch (api.type(schema)) {
            case "object" -> {
                Set<String> requiredNames = new HashSet<>();
                s.path("required").forEach(r -> requiredNames.add(r.asText()));
                s.path("properties").fields().forEachRemaining(p -> {
                    List<Object> next = new ArrayList<>(steps);
                    next.add(p.getKey());
                    walk(p.getValue(), next, requiredNames.contains(p.getKey()), inMap, depth + 1, slots);
                });
                if (s.path("additionalProperties").isObject()) {
                    List<Object> next = new ArrayList<>(steps);
                    next.add("k");
                    walk(s.get("additionalProperties"), next, false, true, depth + 1, slots);
                }
            }
            case "array" -> {
                if (s.path("maxItems").asInt(1) > 0) {
                    List<Object> next = new ArrayList<>(steps);
                    next.add(0);
                    walk(s.path("items"), next, false, inMap, depth + 1, slots);
                }
            }
            default -> {}
        }
    }

    // ------------------------------------------------------------------------------------------------ tools

    private FuzzCase jsonCase(OpenApi.Operation op, String path, String name, JsonNode body, FuzzCase.Expect expect) {
        return new FuzzCase(
                name, op.method(), path, JSON, ANY, write(body).getBytes(StandardCharsets.UTF_8), null, expect);
    }

    private FuzzCase body(
            OpenApi.Operation op, String path, String name, String contentType, String body, FuzzCase.Expect expect) {
        return body(op.method(), path, name, contentType, body, expect);
    }

    private FuzzCase body(
            String method, String path, String name, String contentType, String body, FuzzCase.Expect expect) {
        return new FuzzCase(name, method, path, contentType, ANY, body.getBytes(StandardCharsets.UTF_8), null, expect);
    }

    /** The operation's path with plausible path parameters: a random UUID, or text. */
    private String concrete(OpenApi.Operation op) {
        return concrete(op, null, null);
    }

    private String concrete(OpenApi.Operation op, String name, String value) {
        String path = op.path();
        Map<String, String> existing = name == null ? known.getOrDefault(op.path(), Map.of()) : Map.of();
        for (OpenApi.Parameter p : op.pathParameters()) {
            String v = p.name().equals(name)
                    ? value
                    : existing.containsKey(p.name())
                            ? existing.get(p.name())
                            : api.resolve(p.schema()).path("format").asText().equals("uuid")
                                    ? new UUID(random.nextLong(), random.nextLong()).toString()
                                    : "fuzz";
            path = path.replace("{" + p.name() + "}", v);
        }
        return path;
    }

    private JsonNode set(JsonNode base, List<Object> steps, JsonNode value) {
        JsonNode copy = base.deepCopy();
        if (steps.isEmpty()) {
            return value;
        }
        JsonNode parent = copy;
        for (int i = 0; i < steps.size() - 1; i++) {
            parent = child(parent, steps.get(i));
        }
        Object last = steps.get(steps.size() - 1);
        if (last instanceof Integer index) {
            ArrayNode array = (ArrayNode) parent;
            while (array.size() <= index) {
                array.addNull();
            }
            array.set(index, value);
        } else {
            ((ObjectNode) parent).set((String) last, value);
        }
        return copy;
    }

    private JsonNode remove(JsonNode base, List<Object> steps) {
        JsonNode copy = base.deepCopy();
        JsonNode parent = copy;
        for (int i = 0; i < steps.size() - 1; i++) {
            parent = child(parent, steps.get(i));
        }
        ((ObjectNode) parent).remove((String) steps.get(steps.size() - 1));
        return copy;
    }

    private static JsonNode child(JsonNode parent, Object step) {
        return step instanceof Integer index ? parent.get(index) : parent.get((String) step);
    }

    /** The body with member {@code name} of the object at {@code steps} written twice. */
    private byte[] duplicated(JsonNode base, List<Object> steps, String name) {
        String marker = "zzDuplicateMarker" + Math.abs(random.nextInt());
        JsonNode object = base.deepCopy();
        JsonNode target = object;
        for (Object step : steps) {
            target = child(target, step);
        }
        ((ObjectNode) target).set(marker, target.get(name) == null ? nodes.numberNode(1) : target.get(name));
        if (target.get(name) == null) {
            ((ObjectNode) target).put(name, 1);
        }
        return write(object).replace("\"" + marker + "\"", "\"" + name + "\"").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The body with the string at the slot made of bytes that are not UTF-8 text: a lone surrogate encoded as if
     * it were a character, and a byte that starts no UTF-8 sequence.
     */
    private List<byte[]> rawTextBodies(JsonNode base, Slot slot) {
        if (!api.type(slot.schema()).equals("string")) {
            return List.of();
        }
        String marker = "zzBytesMarker" + Math.abs(random.nextInt());
        String text = write(set(base, slot.steps(), nodes.textNode(marker)));
        int at = text.indexOf(marker);
        List<byte[]> bodies = new ArrayList<>();
        for (byte[] insert : new byte[][] {{(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xFF}}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(text.substring(0, at).getBytes(StandardCharsets.UTF_8));
            out.writeBytes(insert);
            out.writeBytes(text.substring(at + marker.length()).getBytes(StandardCharsets.UTF_8));
            bodies.add(out.toByteArray());
        }
        return bodies;
    }

    private JsonNode deep(int levels) {
        JsonNode node = nodes.numberNode(1);
        for (int i = 0; i < levels; i++) {
            node = nodes.arrayNode().add(node);
        }
        return node;
    }

    private JsonNode deepObject(int levels) {
        JsonNode node = nodes.numberNode(1);
        for (int i = 0; i < levels; i++) {
            ObjectNode wrapper = nodes.objectNode();
            wrapper.set("a", node);
            node = wrapper;
        }
        return node;
    }

    private ArrayNode array(int... values) {
        ArrayNode array = nodes.arrayNode();
        for (int v : values) {
            array.add(v);
        }
        return array;
    }

    private String describe(Slot slot) {
        return slot.path().isEmpty() ? "the body" : slot.path();
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String text) {
        String oneLine = text.replace("\n", "\\n");
        return oneLine.length() > 40 ? oneLine.substring(0, 40) + "…(" + text.length() + " chars)" : oneLine;
    }
}
