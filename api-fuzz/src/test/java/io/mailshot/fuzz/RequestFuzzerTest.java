package io.mailshot.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The cases a small document yields: deterministic, every field broken, each naming what it breaks. */
class RequestFuzzerTest {

    private static final String DOC = """
            {"openapi": "3.1.0",
             "paths": {
               "/things": {
                 "get": {"parameters": [{"name": "page", "in": "query",
                                         "schema": {"type": "integer", "minimum": 0, "maximum": 10}}]},
                 "post": {"requestBody": {"required": true, "content": {"application/json":
                           {"schema": {"$ref": "#/components/schemas/Thing"}}}}}},
               "/things/{id}": {
                 "parameters": [{"name": "id", "in": "path", "required": true,
                                 "schema": {"$ref": "#/components/schemas/UUID"}}],
                 "get": {},
                 "put": {"requestBody": {"content": {"application/json":
                           {"schema": {"$ref": "#/components/schemas/Thing"}}}}}},
               "/uploads": {
                 "post": {"requestBody": {"content": {"application/x-ndjson":
                           {"schema": {"type": "string", "format": "binary"}}}}}}},
             "components": {"schemas": {
               "UUID": {"type": "string", "format": "uuid"},
               "Colour": {"type": "string", "enum": ["RED", "GREEN"]},
               "Thing": {"type": "object", "required": ["name", "parts"], "properties": {
                 "name": {"type": "string", "maxLength": 20, "pattern": "^[A-Za-z]+$"},
                 "count": {"type": "integer", "minimum": 1, "maximum": 5},
                 "colour": {"$ref": "#/components/schemas/Colour"},
                 "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                 "free": {"$ref": "#/components/schemas/AnyJson"},
                 "parts": {"type": "array", "maxItems": 3, "items": {"type": "object",
                   "properties": {"at": {"type": "string", "format": "date-time"}, "on": {"type": "boolean"}}}}}},
               "AnyJson": {"description": "Any JSON value"}}}}
            """;

    private final OpenApi api = OpenApi.parse(DOC);

    @Test
    void readsOperationsAndResolvesReferences() {
        assertEquals(
                List.of("GET /things", "POST /things", "GET /things/{id}", "PUT /things/{id}", "POST /uploads"),
                api.operations().stream().map(Object::toString).toList());
        OpenApi.Operation get = api.operations().get(2);
        assertEquals("id", get.pathParameters().get(0).name());
        assertEquals("string", api.type(get.pathParameters().get(0).schema()));
        assertEquals(
                "any",
                api.type(api.resolve(api.operations().get(1).bodies().get("application/json"))
                        .path("properties")
                        .path("free")));
    }

    @Test
    void thePlausibleBodyHasEveryMemberAndFitsTheSchema() throws Exception {
        JsonNode schema = api.operations().get(1).bodies().get("application/json");
        JsonNode thing = new RequestFuzzer(api, 1).plausible(schema, 0);
        assertEquals("fuzz", thing.path("name").asText());
        assertEquals(1, thing.path("count").asInt());
        assertEquals("RED", thing.path("colour").asText());
        assertEquals("fuzz", thing.path("labels").path("k").asText());
        assertEquals(
                "2030-01-31T08:30:00Z", thing.path("parts").path(0).path("at").asText());
        assertTrue(thing.path("free").isObject());
    }

    @Test
    void everyFieldIsBrokenAndEachCaseNamesIt() {
        List<FuzzCase> cases = new RequestFuzzer(api, 7).bodyCases();
        List<String> named = cases.stream()
                .map(c -> c.expect().field())
                .filter(f -> f != null)
                .distinct()
                .toList();
        for (String field : List.of(
                "name",
                "count",
                "colour",
                "labels.k",
                "free",
                "free.deep[0].x",
                "parts",
                "parts[0]",
                "parts[0].at",
                "parts[0].on",
                "zzUnknownMember",
                "parts[0].zzUnknownMember")) {
            assertTrue(named.contains(field), field + " in " + named);
        }
        assertTrue(cases.stream().anyMatch(c -> c.name().equals("required member left out: parts")));
        assertTrue(cases.stream()
                .anyMatch(c -> c.name().startsWith("member given twice in the body")
                        && new String(c.body(), StandardCharsets.UTF_8).matches(".*\"name\".*\"name\".*")));
        assertTrue(cases.stream()
                .anyMatch(c -> c.path().equals("/uploads") && c.expect().equals(FuzzCase.Expect.status(415))));
        assertTrue(cases.stream()
                .anyMatch(c -> c.declaredLength() != null && c.path().equals("/uploads")));
        // Optional members may be null; required ones may not.
        assertEquals(
                Set.of(),
                cases.stream()
                        .filter(c -> c.name().equals("null at count"))
                        .findFirst()
                        .orElseThrow()
                        .expect()
                        .statuses());
        assertEquals(
                "name",
                cases.stream()
                        .filter(c -> c.name().equals("null at name"))
                        .findFirst()
                        .orElseThrow()
                        .expect()
                        .field());
    }

    @Test
    void parametersAreBrokenOnEveryOperation() {
        List<FuzzCase> cases = new RequestFuzzer(api, 7).parameterCases();
        assertTrue(cases.stream()
                .anyMatch(c -> c.method().equals("PUT")
                        && c.path().equals("/things/not-a-uuid")
                        && "id".equals(c.expect().field())
                        && c.body() != null));
        assertTrue(cases.stream()
                .anyMatch(c -> c.path().equals("/things?page=11")
                        && "page".equals(c.expect().field())));
        assertTrue(cases.stream().anyMatch(c -> c.path().equals("/things?page=1.5")));
        assertTrue(cases.stream().anyMatch(c -> c.expect().equals(FuzzCase.Expect.status(405))));
    }

    @Test
    void theSameSeedGivesTheSameCases() {
        List<FuzzCase> a = new RequestFuzzer(api, 42).bodyCases();
        List<FuzzCase> b = new RequestFuzzer(api, 42).bodyCases();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).toString(), b.get(i).toString());
            assertEquals(
                    new String(a.get(i).body() == null ? new byte[0] : a.get(i).body(), StandardCharsets.UTF_8),
                    new String(b.get(i).body() == null ? new byte[0] : b.get(i).body(), StandardCharsets.UTF_8));
        }
    }
}
