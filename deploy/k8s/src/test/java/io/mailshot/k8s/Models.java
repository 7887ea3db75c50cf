package io.mailshot.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks rendered objects against maintained models of their APIs: the fabric8 Kubernetes model, Strimzi's own API
 * model (KafkaTopic) and {@code @kubernetes-models/keda} from npm (ScaledObject, run by node). The Java models are
 * read strictly, as the API server's strict field validation does: a field the model does not know, or a value
 * of the wrong type (no string for a number, no number for a string), is a problem.
 */
final class Models {

    /** The npm package whose schema (generated from KEDA's CRDs) validates ScaledObjects. */
    static final String KEDA_MODELS = "@kubernetes-models/keda@2.0.0";

    private static final Map<String, Class<?>> JAVA_MODELS = Map.of(
            "apps/v1 Deployment", Deployment.class,
            "v1 Service", Service.class,
            "policy/v1 PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1 NetworkPolicy", NetworkPolicy.class,
            "kafka.strimzi.io/v1beta2 KafkaTopic", KafkaTopic.class);
    private static final String SCALED_OBJECT = "keda.sh/v1alpha1 ScaledObject";

    private static final ObjectMapper STRICT = strictMapper();

    private final Path kedaModels;

    private Models(Path kedaModels) {
        this.kedaModels = kedaModels;
    }

    /** Installs the npm models on first use into {@code ~/.cache/mailshot/kubernetes-models}. */
    static Models install() {
        return new Models(installKedaModels());
    }

    /** The problems of each object, in order: an empty list for a valid object. */
    List<List<String>> validate(List<ObjectNode> objects) {
        List<List<String>> problems = new ArrayList<>();
        List<ObjectNode> scaledObjects = new ArrayList<>();
        List<Integer> scaledAt = new ArrayList<>();
        for (ObjectNode object : objects) {
            String type = type(object);
            Class<?> model = JAVA_MODELS.get(type);
            if (model != null) {
                problems.add(validateJava(object, model));
            } else if (SCALED_OBJECT.equals(type)) {
                scaledAt.add(problems.size());
                scaledObjects.add(object);
                problems.add(null);
            } else {
                problems.add(List.of("no model for " + type + ": this test knows only " + knownTypes()));
            }
        }
        if (!scaledObjects.isEmpty()) {
            List<List<String>> keda = validateKeda(scaledObjects);
            for (int i = 0; i < scaledAt.size(); i++) {
                problems.set(scaledAt.get(i), keda.get(i));
            }
        }
        return problems;
    }

    static String type(JsonNode object) {
        return object.path("apiVersion").asText() + " " + object.path("kind").asText();
    }

    static List<String> knownTypes() {
        List<String> types = new ArrayList<>(JAVA_MODELS.keySet());
        types.add(SCALED_OBJECT);
        Collections.sort(types);
        return types;
    }

    private static List<String> validateJava(ObjectNode object, Class<?> model) {
        Object typed;
        try {
            typed = STRICT.treeToValue(object, model);
        } catch (JsonMappingException e) {
            String message = e.getOriginalMessage();
            int hint = message.indexOf(" (but ");
            return List.of(path(e) + ": " + (hint < 0 ? message : message.substring(0, hint)));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return List.of(e.getMessage().lines().findFirst().orElse(e.toString()));
        }
        List<String> problems = new ArrayList<>();
        unknownFields(typed, "", problems, Collections.newSetFromMap(new IdentityHashMap<>()));
        return problems;
    }

    /** Where in the object a mapping failed, as {@code spec.template.spec.containers[0].image}. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .build();
        // The API server takes no "3" for an integer and no 3 for a string; Jackson would convert both silently.
        for (LogicalType scalar : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            mapper.coercionConfigFor(scalar).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        for (CoercionInputShape shape :
                List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean)) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        return mapper;
    }

    /**
     * Both models keep a field they do not know in the object's {@code additionalProperties} instead of failing:
     * any such field, anywhere in the object, is an unknown field.
     */
    private static void unknownFields(Object value, String path, List<String> problems, Set<Object> seen) {
        if (value == null || !seen.add(value)) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, problems, seen));
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", problems, seen);
            }
            return;
        }
        if (!isModel(value.getClass())) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get")
                    || getter.getName().equals("getClass")) {
                continue;
            }
            Object got;
            try {
                got = getter.invoke(value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue; // a derived getter (e.g. a CRD's plural name) that the object does not carry
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (got instanceof Map<?, ?> extra) {
                    extra.keySet()
                            .forEach(k -> problems.add(
                                    (path.isEmpty() ? "" : path.substring(1) + ": ") + "unknown field \"" + k + "\""));
                }
            } else {
                String name = Character.toLowerCase(getter.getName().charAt(3))
                        + getter.getName().substring(4);
                unknownFields(got, path + "." + name, problems, seen);
            }
        }
    }

    private static boolean isModel(Class<?> type) {
        String name = type.getName();
        return !type.isEnum()
                && (name.startsWith("io.fabric8.kubernetes.api.model.") || name.startsWith("io.strimzi.api."));
    }

    private List<List<String>> validateKeda(List<ObjectNode> scaledObjects) {
        try {
            Path input = Files.createTempFile(kedaModels, "scaled-objects", ".json");
            try {
                Files.writeString(input, STRICT.writeValueAsString(scaledObjects), StandardCharsets.UTF_8);
                var result = Kubectl.run(kedaModels, "node", "validate-scaled-objects.mjs", input.toString());
                Kubectl.require(result, "node validate-scaled-objects.mjs");
                JsonNode answer = STRICT.readTree(result.out());
                List<List<String>> problems = new ArrayList<>();
                for (JsonNode one : answer) {
                    List<String> list = new ArrayList<>();
                    one.forEach(p -> list.add(p.asText()));
                    problems.add(list);
                }
                if (problems.size() != scaledObjects.size()) {
                    throw new IllegalStateException("node answered for " + problems.size() + " of "
                            + scaledObjects.size() + " objects: " + result.out());
                }
                return problems;
            } finally {
                Files.deleteIfExists(input);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path installKedaModels() {
        Path cache = Path.of(System.getProperty(
                "mailshot.kubernetes-models.cache",
                Path.of(System.getProperty("user.home"), ".cache", "mailshot", "kubernetes-models", "keda-2.0.0")
                        .toString()));
        try {
            Files.createDirectories(cache);
            try (FileChannel lock = FileChannel.open(
                            cache.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    var held = lock.lock()) {
                Path done = cache.resolve(".installed");
                if (!Files.exists(done)) {
                    if (Kubectl.run(cache, "sh", "-c", "command -v node && command -v npm")
                                    .exitCode()
                            != 0) {
                        // As the local platform does for Azurite: Debian's node and npm when the machine has none.
                        Kubectl.require(Kubectl.run(cache, "apt-get", "update"), "apt-get update");
                        Kubectl.require(
                                Kubectl.run(
                                        cache, "apt-get", "install", "-y", "--no-install-recommends", "nodejs", "npm"),
                                "apt-get install nodejs npm");
                    }
                    Kubectl.require(
                            Kubectl.run(
                                    cache,
                                    "npm",
                                    "install",
                                    "--no-audit",
                                    "--no-fund",
                                    "--prefix",
                                    cache.toString(),
                                    KEDA_MODELS),
                            "npm install " + KEDA_MODELS);
                    Files.writeString(done, KEDA_MODELS);
                }
                try (var script = Objects.requireNonNull(
                        Models.class.getResourceAsStream("/validate-scaled-objects.mjs"),
                        "validate-scaled-objects.mjs")) {
                    Files.write(cache.resolve("validate-scaled-objects.mjs"), script.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install " + KEDA_MODELS + " into " + cache, e);
        }
        return cache;
    }
}
