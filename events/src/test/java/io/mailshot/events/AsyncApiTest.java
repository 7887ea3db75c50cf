package io.mailshot.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code asyncapi.yaml} cannot drift: it is exactly what {@link AsyncApiDocument} generates from the records, and read
 * back on its own it agrees with the records and with the topic table of {@code SCHEMA.md}.
 */
class AsyncApiTest {

    private static final Path DOCUMENT = Path.of("asyncapi.yaml");
    private static final Path SCHEMA = Path.of("SCHEMA.md");

    @Test
    void theCommittedDocumentIsWhatTheRecordsGenerate() throws IOException {
        String generated = AsyncApiDocument.yaml();
        if (Boolean.getBoolean("asyncapi.write")) {
            Files.writeString(DOCUMENT, generated, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(DOCUMENT), "events/asyncapi.yaml is missing; " + HOW_TO_REGENERATE);
        String committed = Files.readString(DOCUMENT, StandardCharsets.UTF_8);
        if (!committed.equals(generated)) {
            fail("events/asyncapi.yaml is not what the event records generate (first difference at line "
                    + firstDifferentLine(committed, generated) + "); " + HOW_TO_REGENERATE);
        }
    }

    private static final String HOW_TO_REGENERATE = "regenerate it with"
            + " `mvn -o -pl events verify -Dtest=AsyncApiTest -Dasyncapi.write=true`, review the diff and commit it";

    @Test
    void everyEventTypeHasAMessageWhosePayloadIsItsRecord() throws IOException {
        JsonNode doc = read();
        JsonNode messages = doc.path("components").path("messages");
        for (EventType type : EventType.values()) {
            JsonNode message = messageNamed(messages, type.type());
            assertNotNull(message, "no message named " + type.type());
            assertEquals("application/json", message.path("contentType").asText(), type.type());
            assertTrue(
                    message.path("headers").toString().contains("#/components/schemas/CloudEventHeaders"),
                    type.type() + " has no CloudEvents headers");
            JsonNode payload = resolve(doc, message.path("payload"));
            assertComponents(doc, type.dataClass(), payload);
        }
        JsonNode headers = doc.path("components").path("schemas").path("CloudEventHeaders");
        List<String> headerNames = names(headers.path("properties"));
        assertEquals(
                List.of(
                        CloudEventHeaders.SPEC_VERSION,
                        CloudEventHeaders.ID,
                        CloudEventHeaders.SOURCE,
                        CloudEventHeaders.TYPE,
                        CloudEventHeaders.TIME,
                        CloudEventHeaders.SUBJECT,
                        CloudEventHeaders.CONTENT_TYPE,
                        CloudEventHeaders.TRACEPARENT,
                        CloudEventHeaders.TRACESTATE),
                headerNames);
    }

    @Test
    void everyTopicIsAChannelAndNothingElseIs() throws IOException {
        JsonNode doc = read();
        Set<String> addresses = new TreeSet<>();
        doc.path("channels")
                .forEach(channel -> addresses.add(channel.path("address").asText()));
        assertEquals(new TreeSet<>(Topics.ALL), addresses);
    }

    @Test
    void theDocumentAndTheTopicTableOfSchemaMdAgree() throws IOException {
        JsonNode doc = read();
        Map<String, TopicRow> inSchema = schemaTopicTable();
        Map<String, TopicRow> inDocument = new TreeMap<>();
        for (Map.Entry<String, JsonNode> channel : doc.path("channels").properties()) {
            String pointer = "#/channels/" + channel.getKey();
            Set<String> producers = new TreeSet<>();
            Set<String> consumers = new TreeSet<>();
            for (JsonNode operation : doc.path("operations")) {
                if (!pointer.equals(operation.path("channel").path("$ref").asText())) {
                    continue;
                }
                String service = operation.path("x-mailshot-service").asText();
                switch (operation.path("action").asText()) {
                    case "send" -> producers.add(service);
                    case "receive" -> consumers.add(service);
                    default -> fail("operation with action " + operation.path("action"));
                }
                for (JsonNode ref : operation.path("messages")) {
                    assertTrue(
                            ref.path("$ref").asText().startsWith(pointer + "/messages/"),
                            "an operation on " + pointer + " names a message of another channel");
                }
            }
            Set<String> events = new TreeSet<>();
            channel.getValue()
                    .path("messages")
                    .forEach(ref -> events.add(resolve(doc, ref).path("name").asText()));
            inDocument.put(channel.getValue().path("address").asText(), new TopicRow(producers, consumers, events));
        }
        assertEquals(inSchema.keySet(), inDocument.keySet(), "topics of SCHEMA.md's table and of asyncapi.yaml");
        for (String topic : inSchema.keySet()) {
            assertEquals(
                    inSchema.get(topic),
                    inDocument.get(topic),
                    "SCHEMA.md's topic table and asyncapi.yaml disagree on " + topic);
        }

        Set<String> carried = new TreeSet<>();
        inSchema.values().forEach(row -> carried.addAll(row.events()));
        for (EventType type : EventType.values()) {
            assertTrue(carried.contains(type.type()), type.type() + " travels on no topic of SCHEMA.md");
        }
    }

    @Test
    void theTypesTableOfSchemaMdNamesEveryEventWithItsRecordAndFields() throws IOException {
        List<String> lines = Files.readAllLines(SCHEMA, StandardCharsets.UTF_8);
        Map<String, String> rows = new TreeMap<>();
        for (String line : lines) {
            if (line.startsWith("| `io.mailshot.")) {
                rows.put(line.substring(3, line.indexOf('`', 3)), line);
            }
        }
        for (EventType type : EventType.values()) {
            String row = rows.remove(type.type());
            assertNotNull(row, "SCHEMA.md's Types table has no row for " + type.type());
            String[] cells = row.substring(1, row.length() - 1).split("\\|");
            assertEquals("`" + type.dataClass().getSimpleName() + "`", cells[1].trim(), row);
            Set<String> ticked = new TreeSet<>();
            Matcher m = TICKED.matcher(cells[2]);
            while (m.find()) {
                ticked.add(m.group(1));
            }
            for (RecordComponent c : type.dataClass().getRecordComponents()) {
                assertTrue(
                        ticked.contains(c.getName()), "SCHEMA.md's row for " + type.type() + " lacks " + c.getName());
            }
        }
        assertEquals(Map.of(), rows, "SCHEMA.md's Types table has rows for types that EventType does not know");
    }

    /** What one topic carries and between whom, as sets so that order does not matter. */
    record TopicRow(Set<String> producers, Set<String> consumers, Set<String> events) {}

    private static final Pattern TICKED = Pattern.compile("`([^`]+)`");

    /**
     * The table under {@code ## Topics}: topic | producer | consumers | events. A service is named by its first word
     * ({@code audience (outbox)} is the audience-service); events by record name or, for a type without a record, by
     * {@code ce_type}.
     */
    private static Map<String, TopicRow> schemaTopicTable() throws IOException {
        List<String> lines = Files.readAllLines(SCHEMA, StandardCharsets.UTF_8);
        int start = lines.indexOf("## Topics");
        assertTrue(start >= 0, "SCHEMA.md has no ## Topics section");
        Map<String, TopicRow> table = new TreeMap<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.substring(1, line.length() - 1).split("\\|");
            assertEquals(4, cells.length, "SCHEMA.md topic row: " + line);
            Matcher topic = TICKED.matcher(cells[0]);
            assertTrue(topic.find(), line);
            Set<String> events = new TreeSet<>();
            Matcher ticked = TICKED.matcher(cells[3]);
            while (ticked.find()) {
                String name = ticked.group(1);
                if (name.startsWith("io.mailshot.")) {
                    events.add(name);
                } else if (name.matches("[A-Z]\\w+")) {
                    events.add(Arrays.stream(EventType.values())
                            .filter(t -> t.dataClass().getSimpleName().equals(name))
                            .findFirst()
                            .orElseThrow(() -> new AssertionError("SCHEMA.md names no event record " + name))
                            .type());
                }
            }
            Set<String> consumers = new TreeSet<>();
            for (String consumer : cells[2].split(",")) {
                consumers.add(service(consumer));
            }
            table.put(topic.group(1), new TopicRow(Set.of(service(cells[1])), consumers, events));
        }
        return table;
    }

    private static String service(String cell) {
        String name = cell.replaceAll("\\(.*\\)", "").trim();
        if (name.equals("the customer's systems")) {
            return AsyncApiDocument.CUSTOMER_SYSTEMS;
        }
        assertTrue(name.matches("campaign|audience|extraction|delivery"), "not a service in SCHEMA.md: " + cell);
        return name + "-service";
    }

    /**
     * The schema lists exactly the record's components, in order, each of the JSON type its Java type is written
     * as; a nested record's schema is checked the same way.
     */
    private static void assertComponents(JsonNode doc, Class<?> record, JsonNode schema) {
        assertEquals("object", schema.path("type").asText(), record.getSimpleName());
        RecordComponent[] components = record.getRecordComponents();
        List<String> expected =
                Arrays.stream(components).map(RecordComponent::getName).toList();
        assertEquals(expected, names(schema.path("properties")), record.getSimpleName() + " payload properties");
        for (RecordComponent c : components) {
            JsonNode property = schema.path("properties").path(c.getName());
            String where = record.getSimpleName() + "." + c.getName();
            Class<?> type = c.getType();
            if (type.isRecord()) {
                JsonNode ref =
                        property.has("$ref") ? property : property.path("oneOf").path(0);
                assertEquals(
                        "#/components/schemas/" + type.getSimpleName(),
                        ref.path("$ref").asText(),
                        where);
                assertComponents(doc, type, resolve(doc, ref));
                continue;
            }
            String json = type == int.class || type == long.class || type == Integer.class || type == Long.class
                    ? "integer"
                    : type == boolean.class || type == Boolean.class
                            ? "boolean"
                            : List.class.isAssignableFrom(type)
                                    ? "array"
                                    : Map.class.isAssignableFrom(type) ? "object" : "string";
            assertTrue(jsonTypes(property).contains(json), where + " should be " + json + ": " + property);
            if (type == UUID.class) {
                assertEquals("uuid", property.path("format").asText(), where);
            }
            if (type == Instant.class) {
                assertEquals("date-time", property.path("format").asText(), where);
            }
            if (type.isPrimitive()) {
                assertFalse(jsonTypes(property).contains("null"), where + " cannot be null");
            }
        }
    }

    private static List<String> jsonTypes(JsonNode property) {
        List<String> types = new ArrayList<>();
        JsonNode type = property.path("type");
        if (type.isArray()) {
            type.forEach(t -> types.add(t.asText()));
        } else {
            types.add(type.asText());
        }
        return types;
    }

    private static JsonNode messageNamed(JsonNode messages, String name) {
        for (JsonNode message : messages) {
            if (name.equals(message.path("name").asText())) {
                return message;
            }
        }
        return null;
    }

    /** Follows a local {@code $ref} such as {@code #/components/schemas/RunSpec}; other nodes are returned as they are. */
    private static JsonNode resolve(JsonNode doc, JsonNode node) {
        while (node.has("$ref")) {
            String ref = node.path("$ref").asText();
            assertTrue(ref.startsWith("#/"), ref);
            node = doc.at(ref.substring(1));
            assertFalse(node.isMissingNode(), "dangling " + ref);
        }
        return node;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode read() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(DOCUMENT.toFile());
    }

    private static int firstDifferentLine(String a, String b) {
        String[] x = a.split("\n", -1);
        String[] y = b.split("\n", -1);
        int i = 0;
        while (i < x.length && i < y.length && x[i].equals(y[i])) {
            i++;
        }
        return i + 1;
    }
}
