package io.mailshot.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailshot.events.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders both overlays of {@code deploy/k8s} with Debian's kubectl (kustomize v2.0.3) and, where the machine has
 * one, a newer kubectl; validates every object against its API's model and checks what a platform team relies on.
 */
class ManifestsTest {

    static final List<String> SERVICES =
            List.of("campaign-service", "audience-service", "extraction-service", "delivery-service");
    static final List<String> OVERLAYS = List.of("small", "large");
    /** Topics that carry customers' names and addresses (see README.md), and their dead-letter topics. */
    static final Set<String> PROFILE_DATA_TOPICS = Set.of(
            Topics.PROFILES,
            Topics.PROFILE_UPSERTS,
            Topics.DEAD_LETTER_PREFIX + "audience",
            Topics.DEAD_LETTER_PREFIX + "extraction");
    /** "Hours, not days." */
    static final Duration PROFILE_DATA_RETENTION = Duration.ofHours(12);

    static Path root;
    /** The project's version: the tag {@code ./mailshot images} gives each image. */
    static final String VERSION = System.getProperty("project.version");

    static Kubectl debian;
    static Optional<Kubectl> newer;
    static Models models;
    static final Map<String, List<ObjectNode>> RENDERED = new HashMap<>();

    @BeforeAll
    static void render() {
        root = Path.of(System.getProperty("mailshot.root", "../..")).toAbsolutePath();
        debian = Kubectl.debian();
        newer = Kubectl.onPath(debian);
        models = Models.install();
        System.out.println("kubectl (Debian): " + debian.version());
        newer.ifPresent(k -> System.out.println("kubectl (PATH): " + k.version()));
        for (String overlay : OVERLAYS) {
            RENDERED.put(overlay, debian.render(overlay(overlay)));
        }
    }

    static Path overlay(String name) {
        return root.resolve("deploy/k8s/overlays").resolve(name);
    }

    @Test
    void debiansKubectlIsTheOldRendererTheOverlaysAreKeptTo() {
        assertTrue(debian.version().contains("v1.20."), debian.version());
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "large"})
    void aNewerKubectlRendersTheSameObjects(String overlay) {
        assumeTrue(newer.isPresent(), "no other kubectl on the PATH");
        assertEquals(byName(RENDERED.get(overlay)), byName(newer.get().render(overlay(overlay))));
    }

    /** README.md's way to take the images from the company's registry: an overlay of the overlay with images:. */
    @Test
    void anOverlayOfTheOverlayPointsTheImagesAtTheCompanysRegistry() throws IOException {
        Path company = Files.createTempDirectory(root.resolve("deploy/k8s/target"), "company-overlay");
        StringBuilder kustomization = new StringBuilder("bases:\n  - ")
                .append(company.relativize(overlay("small")))
                .append("\nimages:\n");
        for (String service : SERVICES) {
            kustomization
                    .append("  - name: mailshot/")
                    .append(service)
                    .append("\n    newName: registry.example.com/mailshot/")
                    .append(service)
                    .append('\n');
        }
        Files.writeString(company.resolve("kustomization.yaml"), kustomization);
        List<Kubectl> renderers = new ArrayList<>(List.of(debian));
        newer.ifPresent(renderers::add);
        for (Kubectl kubectl : renderers) {
            Set<String> images = all(kubectl.render(company), "Deployment").stream()
                    .map(d -> d.at("/spec/template/spec/containers/0/image").asText())
                    .collect(Collectors.toSet());
            Set<String> expected = SERVICES.stream()
                    .map(s -> "registry.example.com/mailshot/" + s + ":" + VERSION)
                    .collect(Collectors.toSet());
            assertEquals(expected, images, kubectl.version());
        }
    }

    /** The Kafka cluster's name is in three places; a platform team that renames it must find them agree. */
    @ParameterizedTest
    @ValueSource(strings = {"small", "large"})
    void topicsAutoscalingAndPoliciesNameTheSameKafkaCluster(String overlay) {
        List<ObjectNode> objects = RENDERED.get(overlay);
        Set<String> clusters = all(objects, "KafkaTopic").stream()
                .map(t -> t.at("/metadata/labels/strimzi.io~1cluster").asText())
                .collect(Collectors.toSet());
        assertEquals(1, clusters.size(), clusters.toString());
        String cluster = clusters.iterator().next();
        for (ObjectNode scaled : all(objects, "ScaledObject")) {
            for (JsonNode trigger : scaled.at("/spec/triggers")) {
                assertTrue(
                        trigger.at("/metadata/bootstrapServers").asText().startsWith(cluster + "-kafka-bootstrap."),
                        key(scaled) + " " + trigger);
            }
        }
        for (ObjectNode policy : all(objects, "NetworkPolicy")) {
            Set<String> kafka = new HashSet<>();
            for (JsonNode rule : policy.at("/spec/egress")) {
                String named = rule.at("/to/0/podSelector/matchLabels/strimzi.io~1cluster")
                        .asText();
                if (!named.isEmpty()) {
                    kafka.add(named);
                }
            }
            assertEquals(Set.of(cluster), kafka, key(policy));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "large"})
    void everyObjectIsValidAgainstTheModelOfItsApi(String overlay) {
        List<ObjectNode> objects = RENDERED.get(overlay);
        List<List<String>> problems = models.validate(objects);
        Map<String, List<String>> invalid = new TreeMap<>();
        for (int i = 0; i < objects.size(); i++) {
            if (!problems.get(i).isEmpty()) {
                invalid.put(key(objects.get(i)), problems.get(i));
            }
        }
        assertEquals(Map.of(), invalid);
        Set<String> kinds = objects.stream().map(o -> o.path("kind").asText()).collect(Collectors.toSet());
        assertEquals(
                Set.of("Deployment", "Service", "PodDisruptionBudget", "NetworkPolicy", "KafkaTopic", "ScaledObject"),
                kinds);
    }

    @Test
    void theModelsRejectAnUnknownFieldAndAWrongType() {
        List<ObjectNode> small = RENDERED.get("small");
        ObjectNode deployment = one(small, "Deployment", "campaign-service").deepCopy();
        ObjectNode topic = one(small, "KafkaTopic", "mailshot-profiles").deepCopy();
        ObjectNode scaled = one(small, "ScaledObject", "extraction-service").deepCopy();

        ObjectNode typo = deployment.deepCopy();
        container(typo).set("readinessprobe", container(typo).get("readinessProbe"));
        ObjectNode wordForNumber = deployment.deepCopy();
        ((ObjectNode) wordForNumber.get("spec")).put("replicas", "two");
        ObjectNode quotedNumber = deployment.deepCopy();
        ((ObjectNode) quotedNumber.get("spec")).put("replicas", "2");
        ObjectNode numberForString = deployment.deepCopy();
        container(numberForString).put("image", 5);
        ObjectNode topicTypo = topic.deepCopy();
        ((ObjectNode) topicTypo.get("spec")).put("partitons", 4);
        ObjectNode topicWrongType = topic.deepCopy();
        ((ObjectNode) topicWrongType.get("spec")).put("partitions", "many");
        ObjectNode scaledWrongType = scaled.deepCopy();
        ((ObjectNode) scaledWrongType.get("spec")).put("maxReplicaCount", "eight");
        ObjectNode scaledNumberForString = scaled.deepCopy();
        ((ObjectNode) scaledNumberForString.at("/spec/triggers/0/metadata")).put("lagThreshold", 100);
        ObjectNode unknownKind = deployment.deepCopy();
        unknownKind.put("apiVersion", "apps/v1beta1");

        List<ObjectNode> broken = List.of(
                typo,
                wordForNumber,
                quotedNumber,
                numberForString,
                topicTypo,
                topicWrongType,
                scaledWrongType,
                scaledNumberForString,
                unknownKind);
        List<List<String>> problems = models.validate(broken);
        for (int i = 0; i < broken.size(); i++) {
            assertFalse(problems.get(i).isEmpty(), "accepted broken object #" + i + ": " + broken.get(i));
        }
        assertEquals(List.of("spec.template.spec.containers[0]: unknown field \"readinessprobe\""), problems.get(0));
        assertEquals(
                List.of("spec.replicas: Cannot coerce String value (\"two\") to `java.lang.Integer` value"),
                problems.get(1));
        assertEquals(
                List.of("spec.replicas: Cannot coerce String value (\"2\") to `java.lang.Integer` value"),
                problems.get(2));
        assertEquals(
                List.of(
                        "spec.template.spec.containers[0].image: Cannot coerce Integer value (5) to `java.lang.String` value"),
                problems.get(3));
        assertEquals(List.of("spec: unknown field \"partitons\""), problems.get(4));
        assertEquals(
                List.of("spec.partitions: Cannot coerce String value (\"many\") to `java.lang.Integer` value"),
                problems.get(5));
        assertTrue(
                problems.get(6).get(0).contains("maxReplicaCount"),
                problems.get(6).toString());
        assertTrue(
                problems.get(7).get(0).contains("lagThreshold"), problems.get(7).toString());
        // The untouched objects pass: the failures above are the edits'.
        assertEquals(List.of(List.of(), List.of(), List.of()), models.validate(List.of(deployment, topic, scaled)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "large"})
    void everyDeploymentIsProbedLockedDownAndNeedsItsConfiguration(String overlay) {
        List<ObjectNode> deployments = all(RENDERED.get(overlay), "Deployment");
        assertEquals(
                Set.copyOf(SERVICES),
                deployments.stream().map(ManifestsTest::name).collect(Collectors.toSet()));
        for (ObjectNode deployment : deployments) {
            String name = name(deployment);
            JsonNode pod = deployment.at("/spec/template/spec");
            JsonNode container = pod.at("/containers/0");
            assertEquals(
                    "/q/health/started",
                    container.at("/startupProbe/httpGet/path").asText(),
                    name);
            assertEquals(
                    "/q/health/ready",
                    container.at("/readinessProbe/httpGet/path").asText(),
                    name);
            assertEquals(
                    "/q/health/live",
                    container.at("/livenessProbe/httpGet/path").asText(),
                    name);

            assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean(), name);
            // The user and JVM flags the image was built with (quarkus.jib.*): a mismatch would not start.
            Properties image = properties(name);
            String[] user = image.getProperty("quarkus.jib.user").split(":");
            assertEquals(
                    Integer.parseInt(user[0]),
                    pod.at("/securityContext/runAsUser").asInt(),
                    name);
            assertEquals(
                    Integer.parseInt(user[1]),
                    pod.at("/securityContext/runAsGroup").asInt(),
                    name);
            assertTrue(Integer.parseInt(user[0]) > 0, name);
            assertEquals(
                    "RuntimeDefault",
                    pod.at("/securityContext/seccompProfile/type").asText(),
                    name);
            assertTrue(container.at("/securityContext/readOnlyRootFilesystem").asBoolean(), name);
            assertFalse(
                    container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true), name);
            assertEquals(
                    "[\"ALL\"]",
                    container.at("/securityContext/capabilities/drop").toString(),
                    name);
            assertTrue(pod.path("terminationGracePeriodSeconds").asInt() >= 30, name);
            assertFalse(container.at("/resources/requests/cpu").isMissingNode(), name);
            assertFalse(container.at("/resources/limits/memory").isMissingNode(), name);

            // A missing ConfigMap or Secret keeps the pod from starting instead of running against localhost.
            Set<String> sources = new HashSet<>();
            for (JsonNode source : container.path("envFrom")) {
                JsonNode ref = source.has("configMapRef") ? source.get("configMapRef") : source.get("secretRef");
                assertFalse(ref.path("optional").asBoolean(false), name + " " + source);
                sources.add((source.has("configMapRef") ? "ConfigMap " : "Secret ")
                        + ref.path("name").asText());
            }
            assertEquals(Set.of("ConfigMap mailshot-" + name, "Secret mailshot-" + name), sources);

            Map<String, JsonNode> env = env(container);
            assertEquals(
                    "metadata.name",
                    env.get("MAILSHOT_INSTANCE_ID")
                            .at("/valueFrom/fieldRef/fieldPath")
                            .asText());
            assertEquals(
                    image.getProperty("quarkus.jib.environment-variables.\"JDK_JAVA_OPTIONS\""),
                    env.get("JDK_JAVA_OPTIONS").path("value").asText(),
                    name);
            assertTrue(env.get("JDK_JAVA_OPTIONS").path("value").asText().contains("-Xmx512m"), name);
            assertEquals(
                    "emptyDir", volumeAt(pod, container, "/tmp").fieldNames().next(), name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "large"})
    void extractionSpillsToASizedEmptyDirItsSettingNames(String overlay) {
        JsonNode pod =
                one(RENDERED.get(overlay), "Deployment", "extraction-service").at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        String spillDir = env(container).get("MAILSHOT_SPILL_DIR").path("value").asText();
        JsonNode volume = volumeAt(pod, container, spillDir);
        assertFalse(volume.at("/emptyDir/sizeLimit").asText().isEmpty(), volume.toString());
        Properties properties = properties("extraction-service");
        assertTrue(properties.getProperty("mailshot.extraction.spill-dir").startsWith("${MAILSHOT_SPILL_DIR:"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "large"})
    void everyTopicHasAKafkaTopicAndProfileDataIsKeptHoursNotDays(String overlay) {
        Map<String, JsonNode> topics = topics(RENDERED.get(overlay));
        Set<String> expected = new HashSet<>(Topics.ALL);
        for (String service : List.of("campaign", "audience", "extraction", "delivery")) {
            expected.add(Topics.DEAD_LETTER_PREFIX + service);
        }
        assertEquals(expected, topics.keySet());
        for (var topic : topics.entrySet()) {
            JsonNode spec = topic.getValue().path("spec");
            long retention = Long.parseLong(spec.at("/config/retention.ms").asText());
            assertTrue(spec.path("partitions").asInt() >= 1, topic.getKey());
            assertTrue(spec.path("replicas").asInt() >= 3, topic.getKey());
            assertFalse(topic.getValue()
                    .at("/metadata/labels/strimzi.io~1cluster")
                    .asText()
                    .isEmpty());
            if (PROFILE_DATA_TOPICS.contains(topic.getKey())) {
                assertTrue(retention <= PROFILE_DATA_RETENTION.toMillis(), topic.getKey() + " keeps " + retention);
                // Deletion is by segment: a segment rolled hourly is deleted at most an hour past retention.
                assertTrue(Long.parseLong(spec.at("/config/segment.ms").asText())
                        <= Duration.ofHours(1).toMillis());
            } else {
                assertTrue(retention >= Duration.ofDays(1).toMillis(), topic.getKey() + " keeps " + retention);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "large"})
    void everyServiceHasADisruptionBudgetAndANetworkPolicy(String overlay) {
        List<ObjectNode> objects = RENDERED.get(overlay);
        for (String service : SERVICES) {
            JsonNode podLabels = one(objects, "Deployment", service).at("/spec/template/metadata/labels");
            JsonNode budget = one(objects, "PodDisruptionBudget", service);
            assertTrue(selects(budget.at("/spec/selector/matchLabels"), podLabels), service);
            // maxUnavailable, never a minAvailable that would block every drain of a single replica.
            assertEquals(1, budget.at("/spec/maxUnavailable").asInt(), service);
            JsonNode policy = one(objects, "NetworkPolicy", service);
            assertTrue(selects(policy.at("/spec/podSelector/matchLabels"), podLabels), service);
            assertEquals(
                    "[\"Ingress\",\"Egress\"]", policy.at("/spec/policyTypes").toString(), service);
            JsonNode port = one(objects, "Service", service).at("/spec/ports/0/port");
            for (JsonNode rule : policy.at("/spec/ingress")) {
                assertEquals(port.asInt(), rule.at("/ports/0/port").asInt(), service + " admits only its port");
            }
        }
        // campaign-service reaches exactly its three peers, on their ports.
        Set<String> peers = new HashSet<>();
        for (JsonNode rule : one(objects, "NetworkPolicy", "campaign-service").at("/spec/egress")) {
            String peer = rule.at("/to/0/podSelector/matchLabels/app.kubernetes.io~1name")
                    .asText();
            if (!peer.isEmpty() && rule.at("/to/0/namespaceSelector").isMissingNode()) {
                peers.add(peer + ":" + rule.at("/ports/0/port").asInt());
            }
        }
        assertEquals(Set.of("audience-service:8082", "extraction-service:8083", "delivery-service:8084"), peers);
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "large"})
    void audienceAndExtractionScaleOnTheirGroupsLagWithinThePartitions(String overlay) {
        List<ObjectNode> objects = RENDERED.get(overlay);
        Map<String, JsonNode> topics = topics(objects);
        assertEquals(
                Set.of("audience-service", "extraction-service"),
                all(objects, "ScaledObject").stream().map(ManifestsTest::name).collect(Collectors.toSet()));
        Map<String, Set<String>> mustWatch = Map.of(
                "audience-service", Set.of(Topics.RUNS, Topics.AUDIENCE_SLICES),
                "extraction-service", Set.of(Topics.PROFILES));
        for (String service : mustWatch.keySet()) {
            JsonNode scaled = one(objects, "ScaledObject", service);
            assertEquals(service, scaled.at("/spec/scaleTargetRef/name").asText());
            int min = scaled.at("/spec/minReplicaCount").asInt();
            int max = scaled.at("/spec/maxReplicaCount").asInt();
            assertTrue(1 <= min && min <= max, service + " " + min + ".." + max);
            // KEDA owns the count: one in the Deployment would be set back by every kubectl apply.
            assertTrue(one(objects, "Deployment", service).at("/spec/replicas").isMissingNode(), service);
            Map<String, String> groups = consumerGroups(service);
            Set<String> watched = new HashSet<>();
            for (JsonNode trigger : scaled.at("/spec/triggers")) {
                assertEquals("kafka", trigger.path("type").asText());
                String topic = trigger.at("/metadata/topic").asText();
                watched.add(topic);
                assertEquals(
                        groups.get(topic), trigger.at("/metadata/consumerGroup").asText(), service + " " + topic);
                assertEquals("false", trigger.at("/metadata/allowIdleConsumers").asText());
                int partitions = topics.get(topic).at("/spec/partitions").asInt();
                assertTrue(max <= partitions, service + " scales to " + max + " on " + partitions + " partitions");
            }
            assertTrue(watched.containsAll(mustWatch.get(service)), service + " " + watched);
        }
        // Every slice of a run has a partition of its own, and every replica gets slices.
        int slices = Integer.parseInt(
                env(one(objects, "Deployment", "audience-service").at("/spec/template/spec/containers/0"))
                        .get("MAILSHOT_AUDIENCE_STREAM_SLICES")
                        .path("value")
                        .asText());
        int audienceMax = one(objects, "ScaledObject", "audience-service")
                .at("/spec/maxReplicaCount")
                .asInt();
        assertTrue(slices >= audienceMax, "slices " + slices);
        assertTrue(topics.get(Topics.AUDIENCE_SLICES).at("/spec/partitions").asInt() >= slices);
    }

    /** The topic each consumer group of the service reads, from its application.properties. */
    static Map<String, String> consumerGroups(String service) {
        Properties properties = properties(service);
        Map<String, String> groups = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("mp.messaging.incoming.") && key.endsWith(".group.id")) {
                String channel = key.substring(0, key.length() - ".group.id".length());
                String topics = properties.getProperty(channel + ".topic", properties.getProperty(channel + ".topics"));
                for (String topic : topics.split(",")) {
                    groups.put(topic.strip(), properties.getProperty(key));
                }
            }
        }
        // The profile stream is read by a plain KafkaConsumer, not a channel.
        if (properties.getProperty("mailshot.extraction.group-id") != null) {
            groups.put(Topics.PROFILES, properties.getProperty("mailshot.extraction.group-id"));
        }
        return groups;
    }

    static Properties properties(String service) {
        Properties properties = new Properties();
        try (Reader reader =
                Files.newBufferedReader(root.resolve(service).resolve("src/main/resources/application.properties"))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return properties;
    }

    static Map<String, JsonNode> topics(List<ObjectNode> objects) {
        Map<String, JsonNode> topics = new HashMap<>();
        for (ObjectNode topic : all(objects, "KafkaTopic")) {
            String name = topic.at("/spec/topicName").asText();
            assertEquals(null, topics.put(name, topic), "two KafkaTopics for " + name);
        }
        return topics;
    }

    static boolean selects(JsonNode selector, JsonNode labels) {
        if (selector.isMissingNode() || selector.isEmpty()) {
            return false;
        }
        for (var entry : selector.properties()) {
            if (!entry.getValue().equals(labels.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    static Map<String, JsonNode> env(JsonNode container) {
        Map<String, JsonNode> env = new HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        return env;
    }

    /** The volume mounted at {@code path}. */
    static JsonNode volumeAt(JsonNode pod, JsonNode container, String path) {
        String volume = StreamSupport.stream(container.path("volumeMounts").spliterator(), false)
                .filter(m -> m.path("mountPath").asText().equals(path))
                .map(m -> m.path("name").asText())
                .findFirst()
                .orElseThrow(() -> new AssertionError("nothing is mounted at " + path));
        ObjectNode found = StreamSupport.stream(pod.path("volumes").spliterator(), false)
                .filter(v -> v.path("name").asText().equals(volume))
                .map(v -> (ObjectNode) v.deepCopy())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + volume));
        found.remove("name");
        return found;
    }

    static ObjectNode container(ObjectNode deployment) {
        return (ObjectNode) deployment.at("/spec/template/spec/containers/0");
    }

    static List<ObjectNode> all(List<ObjectNode> objects, String kind) {
        return objects.stream()
                .filter(o -> o.path("kind").asText().equals(kind))
                .toList();
    }

    static ObjectNode one(List<ObjectNode> objects, String kind, String name) {
        List<ObjectNode> found =
                all(objects, kind).stream().filter(o -> name(o).equals(name)).toList();
        assertEquals(1, found.size(), kind + " " + name);
        return found.get(0);
    }

    static String name(JsonNode object) {
        return object.at("/metadata/name").asText();
    }

    static String key(JsonNode object) {
        return object.path("kind").asText() + "/" + name(object);
    }

    /**
     * The objects by kind and name, lists of named items (env, volumes, containers) in name order: the renderers
     * put an item a patch adds in different places, which does not change what the API server stores.
     */
    static Map<String, JsonNode> byName(List<ObjectNode> objects) {
        Map<String, JsonNode> byName = new TreeMap<>();
        for (ObjectNode object : objects) {
            assertEquals(null, byName.put(key(object), normalised(object.deepCopy())), key(object));
        }
        return byName;
    }

    private static JsonNode normalised(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.properties().forEach(e -> e.setValue(normalised(e.getValue())));
        } else if (node instanceof ArrayNode array) {
            List<JsonNode> items = new ArrayList<>();
            array.forEach(item -> items.add(normalised(item)));
            if (!items.isEmpty() && items.stream().allMatch(i -> i.isObject() && i.has("name"))) {
                items.sort(Comparator.comparing(i -> i.path("name").asText()));
            }
            array.removeAll();
            items.forEach(array::add);
        }
        return node;
    }
}
