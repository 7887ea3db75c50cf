package io.mailshot.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The parts of an OpenAPI 3 document the fuzzer reads: operations, their parameters and request bodies. */
public final class OpenApi {

    /** One parameter of an operation; {@code in} is path, query, header or cookie. */
    public record Parameter(String name, String in, JsonNode schema, boolean required) {}

    /** One operation: its method, path template, parameters and request body schema per media type. */
    public record Operation(
            String method,
            String path,
            List<Parameter> parameters,
            Map<String, JsonNode> bodies,
            boolean bodyRequired) {

        /** The path parameters, in the order the template names them. */
        public List<Parameter> pathParameters() {
            return parameters.stream().filter(p -> p.in().equals("path")).toList();
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private final JsonNode document;
    private final List<Operation> operations = new ArrayList<>();

    private OpenApi(JsonNode document) {
        this.document = document;
        for (Iterator<Map.Entry<String, JsonNode>> paths =
                        document.path("paths").fields();
                paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            List<Parameter> shared = parameters(path.getValue().path("parameters"));
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (op.getKey().equals("parameters") || !op.getValue().isObject()) {
                    continue;
                }
                List<Parameter> parameters = new ArrayList<>(shared);
                parameters.addAll(parameters(op.getValue().path("parameters")));
                Map<String, JsonNode> bodies = new LinkedHashMap<>();
                JsonNode body = resolve(op.getValue().path("requestBody"));
                body.path("content")
                        .fields()
                        .forEachRemaining(
                                c -> bodies.put(c.getKey(), c.getValue().path("schema")));
                operations.add(new Operation(
                        op.getKey().toUpperCase(),
                        path.getKey(),
                        List.copyOf(parameters),
                        bodies,
                        body.path("required").asBoolean(false)));
            }
        }
    }

    /** Parses a document (JSON). */
    public static OpenApi parse(String json) {
        try {
            return new OpenApi(new ObjectMapper().readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException("not an OpenAPI document in JSON", e);
        }
    }

    public List<Operation> operations() {
        return operations;
    }

    /** {@code schema} with its {@code $ref} followed (repeatedly); a missing schema is empty (any value). */
    public JsonNode resolve(JsonNode schema) {
        JsonNode current = schema == null ? MissingNode.getInstance() : schema;
        for (int hops = 0; current.has("$ref") && hops < 20; hops++) {
            String ref = current.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new IllegalArgumentException("only local references are supported: " + ref);
            }
            current = document.at(ref.substring(1));
        }
        return current;
    }

    /** The schema's JSON type (object, array, string, integer, number, boolean), or "any" when it has none. */
    public String type(JsonNode schema) {
        JsonNode s = resolve(schema);
        if (s.has("type")) {
            JsonNode type = s.get("type");
            if (type.isArray()) {
                for (JsonNode t : type) {
                    if (!t.asText().equals("null")) {
                        return t.asText();
                    }
                }
            }
            return type.asText();
        }
        if (s.has("properties") || s.has("additionalProperties")) {
            return "object";
        }
        if (s.has("items")) {
            return "array";
        }
        if (s.has("enum")) {
            return "string";
        }
        return "any";
    }

    private List<Parameter> parameters(JsonNode list) {
        List<Parameter> result = new ArrayList<>();
        for (JsonNode p : list) {
            JsonNode resolved = resolve(p);
            result.add(new Parameter(
                    resolved.path("name").asText(),
                    resolved.path("in").asText(),
                    resolved.path("schema"),
                    resolved.path("required").asBoolean(false)));
        }
        return result;
    }
}
