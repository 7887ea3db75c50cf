package io.mailshot.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Generates {@code events/asyncapi.yaml} (AsyncAPI 3.0.0) from the contract itself: the channels from {@link Topics},
 * the messages from {@link EventType}, the payload schemas by reflection over the records, so the document cannot say
 * anything the records do not. Who sends and receives what is the one thing the code does not state; it is the table
 * {@link #TOPICS}, which {@code AsyncApiTest} checks against the topic table of {@code SCHEMA.md}.
 */
final class AsyncApiDocument {

    /** One row of the topic table: who sends on a topic, who receives from it, what it carries, how it is keyed. */
    record TopicUse(String topic, String producer, List<String> consumers, List<String> messages, String key) {}

    /** The one message that is no record of this module: the audience-service owns the profile's shape. */
    static final String PROFILE_UPSERTED = "ProfileUpserted";

    static final String PROFILE_UPSERTED_TYPE = "io.mailshot.profile.upserted.v1";
    static final String CUSTOMER_SYSTEMS = "customer-systems";

    /** SCHEMA.md's topic table, in the order of {@link Topics#ALL}; messages by record name or (upserts) ce_type. */
    static final List<TopicUse> TOPICS = List.of(
            new TopicUse(
                    Topics.RUNS, "campaign-service", List.of("audience-service"), names(RunRequested.class), "run id"),
            new TopicUse(
                    Topics.RUN_CANCELLATIONS,
                    "campaign-service",
                    List.of("audience-service", "extraction-service", "delivery-service"),
                    names(RunCancelled.class),
                    "run id"),
            new TopicUse(
                    Topics.PROFILES,
                    "audience-service",
                    List.of("extraction-service"),
                    names(
                            ProfileStreamStarted.class,
                            ProfilesStreamed.class,
                            ProfileStreamCompleted.class,
                            ProfileStreamCancelled.class,
                            ProfileStreamAbandoned.class),
                    "run id"),
            new TopicUse(
                    Topics.AUDIENCE_SLICES,
                    "audience-service",
                    List.of("audience-service"),
                    names(AudienceSliceRequested.class),
                    "<runId>:<slice>"),
            new TopicUse(
                    Topics.AUDIENCE_EVENTS,
                    "audience-service",
                    List.of("campaign-service"),
                    names(
                            AudienceResolutionStarted.class,
                            AudienceResolutionProgressed.class,
                            AudienceResolved.class,
                            AudienceResolutionFailed.class),
                    "run id"),
            new TopicUse(
                    Topics.EXTRACTION_EVENTS,
                    "extraction-service",
                    List.of("campaign-service", "delivery-service"),
                    names(
                            ExtractionStarted.class,
                            ExtractionProgressed.class,
                            ExtractionCompleted.class,
                            ExtractionFailed.class),
                    "run id"),
            new TopicUse(
                    Topics.DELIVERY_EVENTS,
                    "delivery-service",
                    List.of("campaign-service", "audience-service"),
                    names(
                            DeliveryAttempted.class,
                            DeliveryProgressed.class,
                            DeliverySucceeded.class,
                            DeliveryFailed.class),
                    "run id"),
            new TopicUse(
                    Topics.ROUTING_CHANGES,
                    "delivery-service",
                    List.of("campaign-service"),
                    names(RoutingChanged.class),
                    "routing id"),
            new TopicUse(
                    Topics.PROFILE_UPSERTS,
                    CUSTOMER_SYSTEMS,
                    List.of("audience-service"),
                    List.of(PROFILE_UPSERTED),
                    "profile identity (namespace:id)"),
            new TopicUse(
                    Topics.ERASURES,
                    "audience-service",
                    List.of("extraction-service"),
                    names(ProfileErased.class),
                    "erasure id"));

    /**
     * Components that may be null although the record's shortest constructor takes them, as their Javadoc says.
     * Every other component outside the shortest constructor is optional too (older producers omit it), and a boxed
     * number or boolean is nullable by its type. A name here that is not a component fails the generation.
     */
    static final Map<Class<? extends Record>, Set<String>> NULLABLE = Map.of(
            DeliveryAttempted.class, Set.of("error"),
            FileColumn.class, Set.of("path"),
            RunRequested.class, Set.of("requestedBy"),
            RunCancelled.class, Set.of("cancelledBy"));

    private final Map<String, Object> schemas = new TreeMap<>();

    private AsyncApiDocument() {}

    /** The document as YAML text, the same bytes for the same records. */
    static String yaml() {
        YAMLMapper mapper = new YAMLMapper(YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                .disable(YAMLGenerator.Feature.SPLIT_LINES)
                .build());
        try {
            return "# Generated by AsyncApiTest from the event records: do not edit by hand.\n"
                    + "# Regenerate: mvn -o -pl events verify -Dtest=AsyncApiTest -Dasyncapi.write=true\n"
                    + mapper.writeValueAsString(new AsyncApiDocument().build());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> build() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("asyncapi", "3.0.0");
        doc.put(
                "info",
                map(
                        "title", "Mailshot events",
                        "version", "1.0.0",
                        "description",
                                "The topics and events between the Mailshot services (events/SCHEMA.md says what"
                                        + " they mean). Every event is a CloudEvent 1.0 in the Kafka binding's binary"
                                        + " content mode: the attributes are ce_* headers, the record value is the JSON"
                                        + " data. Generated from the records in io.mailshot.events by AsyncApiTest."));
        doc.put(
                "servers",
                map(
                        "kafka",
                        map(
                                "host",
                                "kafka:9092",
                                "protocol",
                                "kafka",
                                "description",
                                "Placeholder: the installation's Kafka bootstrap servers (KAFKA_BOOTSTRAP_SERVERS).")));

        Map<String, Object> channels = new LinkedHashMap<>();
        Map<String, Object> operations = new LinkedHashMap<>();
        Map<String, Object> messages = new LinkedHashMap<>();
        for (String topic : Topics.ALL) {
            TopicUse use = TOPICS.stream()
                    .filter(u -> u.topic().equals(topic))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no producer/consumers listed for " + topic));
            String channel = channelId(topic);
            Map<String, Object> channelMessages = new LinkedHashMap<>();
            for (String message : use.messages()) {
                channelMessages.put(message, ref("#/components/messages/" + message));
            }
            channels.put(
                    channel,
                    map(
                            "address",
                            topic,
                            "description",
                            "Keyed by " + use.key() + ".",
                            "messages",
                            channelMessages,
                            "bindings",
                            map("kafka", map("bindingVersion", "0.5.0"))));
            operations.put(use.producer() + ".send." + channel, operation("send", channel, use, use.producer()));
            for (String consumer : use.consumers()) {
                operations.put(consumer + ".receive." + channel, operation("receive", channel, use, consumer));
            }
        }
        for (EventType type : EventType.values()) {
            messages.put(type.dataClass().getSimpleName(), message(type.type(), schemaRef(type.dataClass())));
        }
        messages.put(
                PROFILE_UPSERTED,
                message(
                        PROFILE_UPSERTED_TYPE,
                        map(
                                "type",
                                "object",
                                "description",
                                "One profile, exactly as a line of the audience-service's bulk NDJSON endpoint"
                                        + " (audience-service/README.md owns its schema).")));
        doc.put("channels", channels);
        doc.put("operations", operations);
        schemas.put("CloudEventHeaders", cloudEventHeaders());
        doc.put("components", map("messages", messages, "schemas", schemas));
        return doc;
    }

    /** {@code mailshot.run-cancellations} is {@code runCancellations}, from the {@link Topics} constant's name. */
    static String channelId(String topic) {
        for (Field f : Topics.class.getFields()) {
            try {
                if (Modifier.isStatic(f.getModifiers()) && topic.equals(f.get(null))) {
                    StringBuilder id = new StringBuilder();
                    for (String word : f.getName().toLowerCase().split("_")) {
                        id.append(id.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
                    }
                    return id.toString();
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalArgumentException("not a topic of Topics: " + topic);
    }

    private static Map<String, Object> operation(String action, String channel, TopicUse use, String service) {
        List<Object> refs = new ArrayList<>();
        for (String message : use.messages()) {
            refs.add(ref("#/channels/" + channel + "/messages/" + message));
        }
        return map(
                "action",
                action,
                "channel",
                ref("#/channels/" + channel),
                "messages",
                refs,
                "x-mailshot-service",
                service);
    }

    private static Map<String, Object> message(String ceType, Object payload) {
        return map(
                "name",
                ceType,
                "contentType",
                CloudEventHeaders.JSON,
                "headers",
                map(
                        "allOf",
                        List.of(
                                ref("#/components/schemas/CloudEventHeaders"),
                                map(
                                        "type",
                                        "object",
                                        "properties",
                                        map(CloudEventHeaders.TYPE, map("const", ceType))))),
                "payload",
                payload);
    }

    private static Map<String, Object> cloudEventHeaders() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(CloudEventHeaders.SPEC_VERSION, map("const", CloudEventHeaders.SPEC_VERSION_VALUE));
        properties.put(
                CloudEventHeaders.ID,
                map(
                        "type",
                        "string",
                        "format",
                        "uuid",
                        "description",
                        "Unique event id; consumers drop repeats (except profile upserts, which are idempotent)."));
        properties.put(CloudEventHeaders.SOURCE, map("type", "string", "description", "/mailshot/<service-name>"));
        properties.put(CloudEventHeaders.TYPE, map("type", "string"));
        properties.put(CloudEventHeaders.TIME, map("type", "string", "format", "date-time"));
        properties.put(
                CloudEventHeaders.SUBJECT,
                map(
                        "type",
                        "string",
                        "description",
                        "The record key: the run id (the routing id on mailshot.routing-changes)."));
        properties.put(CloudEventHeaders.CONTENT_TYPE, map("const", CloudEventHeaders.JSON));
        properties.put(
                CloudEventHeaders.TRACEPARENT,
                map(
                        "type",
                        "string",
                        "description",
                        "CloudEvents distributed-tracing extension: the W3C traceparent of the work that published the"
                                + " event (one trace per run). Optional; a malformed one starts a new trace."));
        properties.put(
                CloudEventHeaders.TRACESTATE,
                map("type", "string", "description", "The W3C tracestate that goes with ce_traceparent. Optional."));
        return map(
                "type",
                "object",
                "description",
                "CloudEvents 1.0 attributes as Kafka record headers (binary content mode).",
                "properties",
                properties,
                "required",
                List.of(
                        CloudEventHeaders.SPEC_VERSION,
                        CloudEventHeaders.ID,
                        CloudEventHeaders.SOURCE,
                        CloudEventHeaders.TYPE));
    }

    private Map<String, Object> schemaRef(Class<? extends Record> type) {
        String name = type.getSimpleName();
        if (!schemas.containsKey(name)) {
            schemas.put(name, Map.of()); // placeholder: a record that refers to itself ends here
            schemas.put(name, recordSchema(type));
        }
        return ref("#/components/schemas/" + name);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> recordSchema(Class<? extends Record> type) {
        RecordComponent[] components = type.getRecordComponents();
        int mandatory = Arrays.stream(type.getConstructors())
                .mapToInt(Constructor::getParameterCount)
                .min()
                .orElse(components.length);
        Set<String> nullable = NULLABLE.getOrDefault(type, Set.of());
        for (String name : nullable) {
            if (Arrays.stream(components).noneMatch(c -> c.getName().equals(name))) {
                throw new IllegalStateException(type.getSimpleName() + " has no component " + name);
            }
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            boolean optional = i >= mandatory || nullable.contains(c.getName());
            boolean canBeNull = !c.getType().isPrimitive() && (optional || isBoxed(c.getType()));
            properties.put(c.getName(), canBeNull ? orNull(schema(c.getGenericType())) : schema(c.getGenericType()));
            if (!optional && !canBeNull) {
                required.add(c.getName());
            }
        }
        Map<String, Object> schema = map("type", "object", "properties", properties);
        if (!required.isEmpty()) {
            schema.put("required", required);
        }
        return schema;
    }

    private static boolean isBoxed(Class<?> type) {
        return type == Integer.class || type == Long.class || type == Boolean.class || type == Double.class;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> schema(Type type) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (List.class.isAssignableFrom(raw)) {
                return map("type", "array", "items", schema(args[0]));
            }
            if (Map.class.isAssignableFrom(raw) && args[0] == String.class) {
                return map("type", "object", "additionalProperties", schema(args[1]));
            }
            throw new IllegalStateException("no JSON schema for " + type);
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) {
            return map("type", "string");
        }
        if (c == UUID.class) {
            return map("type", "string", "format", "uuid");
        }
        if (c == Instant.class) {
            return map("type", "string", "format", "date-time");
        }
        if (c == int.class || c == Integer.class) {
            return map("type", "integer", "format", "int32");
        }
        if (c == long.class || c == Long.class) {
            return map("type", "integer", "format", "int64");
        }
        if (c == double.class || c == Double.class) {
            return map("type", "number");
        }
        if (c == boolean.class || c == Boolean.class) {
            return map("type", "boolean");
        }
        if (c.isEnum()) {
            List<String> values = new ArrayList<>();
            for (Object constant : c.getEnumConstants()) {
                values.add(((Enum<?>) constant).name());
            }
            return map("type", "string", "enum", values);
        }
        if (c.isRecord()) {
            return schemaRef((Class<? extends Record>) c);
        }
        throw new IllegalStateException("no JSON schema for " + type);
    }

    /** The schema or JSON null: what an optional component may hold, since Jackson writes nulls. */
    private static Map<String, Object> orNull(Map<String, Object> schema) {
        if (schema.get("type") instanceof String t && !schema.containsKey("$ref")) {
            Map<String, Object> copy = new LinkedHashMap<>(schema);
            copy.put("type", List.of(t, "null"));
            return copy;
        }
        return map("oneOf", List.of(schema, map("type", "null")));
    }

    private static Map<String, Object> ref(String pointer) {
        return map("$ref", pointer);
    }

    private static List<String> names(Class<?>... records) {
        return Arrays.stream(records).map(Class::getSimpleName).toList();
    }

    /** An insertion-ordered map of key, value pairs: the document's order is the code's. */
    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
