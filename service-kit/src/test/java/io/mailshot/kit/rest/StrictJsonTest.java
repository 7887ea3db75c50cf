package io.mailshot.kit.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Each coercion the API refuses, and what it still reads; the application's own mapper is left as it was. */
class StrictJsonTest {

    enum Colour {
        RED,
        GREEN
    }

    record Column(String label, Integer width) {}

    record Primitive(boolean value) {}

    record Body(
            String name,
            Integer count,
            Long big,
            Double ratio,
            Boolean flag,
            Colour colour,
            UUID id,
            Instant at,
            LocalDate day,
            List<String> tags,
            Set<Colour> colours,
            Map<String, String> constants,
            List<Column> columns,
            JsonNode free) {}

    /** Configured as Quarkus configures the application's mapper. */
    private final ObjectMapper application = new ObjectMapper()
            .findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final ObjectMapper strict = StrictJson.of(application);

    private Body read(String json) throws JsonProcessingException {
        return strict.readValue(json, Body.class);
    }

    private void refused(String json, String field) {
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> read(json), json);
        InvalidJsonInputException invalid = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidJsonInputException found) {
                invalid = found;
            }
        }
        String path = invalid != null
                ? invalid.field()
                : e instanceof JsonMappingException mapping ? ProblemMappers.path(mapping) : "";
        assertEquals(field, path, json + " -> " + e.getOriginalMessage());
    }

    @Test
    void readsWhatTheSchemaSays() throws Exception {
        UUID id = UUID.randomUUID();
        Body body = read("""
                {"name": "Ann \\uD83D\\uDE00", "count": 3, "big": 12345678901, "ratio": 2, "flag": false,
                 "colour": "GREEN", "id": "%s", "at": "2024-01-31T10:00:00Z",
                 "day": "2024-01-31", "tags": ["a", "b"], "colours": ["RED"], "constants": {"k": "v"},
                 "columns": [{"label": "x", "width": 2}], "free": {"any": [1, "two", null]}}""".formatted(id));
        assertEquals("Ann \uD83D\uDE00", body.name());
        assertEquals(3, body.count());
        assertEquals(2.0, body.ratio());
        assertEquals(Colour.GREEN, body.colour());
        assertEquals(id, body.id());
        assertEquals(LocalDate.of(2024, 1, 31), body.day());
        assertEquals("two", body.free().path("any").path(1).asText());
        assertEquals(null, read("{\"name\": null}").name());
    }

    @Test
    void refusesEveryCoercion() {
        refused("{\"name\": true}", "name");
        refused("{\"name\": 12}", "name");
        refused("{\"name\": 1.5}", "name");
        refused("{\"name\": [\"x\"]}", "name");
        refused("{\"name\": {}}", "name");
        refused("{\"count\": 1.5}", "count");
        refused("{\"count\": 1.0}", "count");
        refused("{\"count\": \"3\"}", "count");
        refused("{\"count\": \"\"}", "count");
        refused("{\"count\": true}", "count");
        refused("{\"count\": 99999999999}", "count");
        refused("{\"big\": 1e400}", "big");
        refused("{\"ratio\": \"2.5\"}", "ratio");
        refused("{\"flag\": \"true\"}", "flag");
        refused("{\"flag\": 1}", "flag");
        assertThrows(JsonProcessingException.class, () -> strict.readValue("{\"value\": null}", Primitive.class));
        assertThrows(JsonProcessingException.class, () -> strict.readValue("{}", Primitive.class));
        refused("{\"colour\": 0}", "colour");
        refused("{\"colour\": \"red\"}", "colour");
        refused("{\"colour\": \"\"}", "colour");
        refused("{\"colour\": \" RED\"}", "colour");
        refused("{\"colour\": \"0\"}", "colour");
        refused("{\"colours\": [\"RED \"]}", "colours[0]");
        refused("{\"id\": \"\"}", "id");
        refused("{\"id\": 42}", "id");
        refused("{\"id\": \"not-a-uuid\"}", "id");
        refused("{\"at\": 1700000000}", "at");
        refused("{\"day\": [2024, 1, 31]}", "day");
        refused("{\"day\": 19000}", "day");
        refused("{\"tags\": \"a\"}", "tags");
        refused("{\"tags\": [1]}", "tags[0]");
        refused("{\"colours\": [1]}", "colours[0]");
        refused("{\"constants\": {\"k\": 1}}", "constants.k");
        refused("{\"columns\": [{\"label\": \"x\", \"width\": \"2\"}]}", "columns[0].width");
        refused("{\"columns\": {\"label\": \"x\"}}", "columns");
    }

    @Test
    void refusesUnknownAndRepeatedMembers() {
        refused("{\"colour\": \"RED\", \"shade\": 1}", "shade");
        refused("{\"columns\": [{\"label\": \"x\", \"colour\": 1}]}", "columns[0].colour");
        refused("{\"name\": \"a\", \"name\": \"b\"}", "name");
        refused("{\"constants\": {\"k\": \"a\", \"k\": \"b\"}}", "constants.k");
        refused("{\"free\": {\"k\": 1, \"k\": 2}}", "free.k");
        assertThrows(JsonProcessingException.class, () -> read("{\"name\": \"a\"} {\"name\": \"b\"}"));
        assertThrows(JsonProcessingException.class, () -> read("{\"name\": \"a\""));
    }

    @Test
    void refusesTextThatCannotBeStoredExactly() {
        refused("{\"name\": \"a\\u0000b\"}", "name");
        refused("{\"name\": \"a\\uD800b\"}", "name");
        refused("{\"name\": \"\\uDE00\"}", "name");
        refused("{\"tags\": [\"ok\", \"\\uD800\"]}", "tags[1]");
        refused("{\"constants\": {\"a\\u0000\": \"v\"}}", "constants");
        refused("{\"free\": {\"deep\": [{\"x\": \"\\u0000\"}]}}", "free.deep[0].x");
        refused("{\"columns\": [{\"label\": \"\\uD800\"}]}", "columns[0].label");
        InvalidJsonInputException e =
                assertThrows(InvalidJsonInputException.class, () -> read("{\"name\": \"a\\u0000\"}"));
        assertEquals("text", e.rule());
        assertTrue(e.detail().contains("NUL"), e.detail());
    }

    @Test
    void leavesTheApplicationMapperTolerant() throws Exception {
        assertEquals(
                "RED",
                application
                        .readValue("{\"colour\": \"RED\", \"shade\": 1}", Body.class)
                        .colour()
                        .name());
        assertEquals("12", application.readValue("{\"name\": 12}", Body.class).name());
        assertEquals("b", strict.copy().readTree("{\"a\": \"b\"}").path("a").asText());
        assertThrows(JsonProcessingException.class, () -> strict.copy().readTree("{\"a\": \"\\u0000\"}"));
    }
}
