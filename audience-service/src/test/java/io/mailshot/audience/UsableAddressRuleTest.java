package io.mailshot.audience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailshot.audience.service.profile.AddressNormalizer;
import io.mailshot.audience.service.profile.AddressNormalizerTest;
import io.mailshot.events.Actor;
import io.mailshot.events.ProfileStreamCompleted;
import io.mailshot.events.RunRequested;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.kit.messaging.EventCodec;
import io.mailshot.kit.messaging.IncomingEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * The usable-address rule decided at run time (the database's exclusion of a run) agrees with the rule in Java
 * ({@link AddressNormalizer#isBlank}) on a table of values for every required field: the same profiles the Java
 * rule calls unusable are the ones a run counts as {@code noAddress}, and only those.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "audience"))
class UsableAddressRuleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EventCodec codec;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void javaAndTheRunAgreeOnEveryFieldAndValue() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> valid =
                Map.of("street1", "1 rue X", "postalCode", "75001", "city", "Paris", "countryCode", "FR");
        List<String> values = new ArrayList<>(AddressNormalizerTest.BLANK);
        values.addAll(AddressNormalizerTest.NOT_BLANK);
        StringBuilder body = new StringBuilder();
        Set<String> usableInJava = new TreeSet<>();
        int profiles = 0;
        for (String field : AddressNormalizer.REQUIRED) {
            for (int i = 0; i < values.size(); i++) {
                String id = field + "-" + i + "-" + tag;
                ObjectNode profile = JSON.createObjectNode();
                profile.putObject("identity").put("namespace", "crmId").put("id", id);
                ObjectNode address = profile.putObject("homeAddress");
                valid.forEach(address::put);
                address.put(field, values.get(i));
                profile.putObject("attributes").put("tag", tag);
                body.append(JSON.writeValueAsString(profile)).append('\n');
                profiles++;
                if (AddressNormalizer.addressKey(address) != null) {
                    usableInJava.add(id);
                }
            }
        }
        Profiles.post(body.toString()).statusCode(200).body("accepted", Matchers.equalTo(profiles));
        UUID audience =
                Runs.audience("usable " + tag, List.of(Map.of("path", "attributes.tag", "op", "eq", "value", tag)));

        RunRequested run = new RunRequested(
                UUID.randomUUID(),
                UUID.randomUUID(),
                "Usable",
                audience,
                Runs.identitySpec(null, null, null),
                Instant.now(),
                Actor.SYSTEM);
        List<IncomingEvent> events = Runs.resolve(bootstrap, codec, run);
        Set<String> streamed =
                Runs.profiles(events).stream().map(p -> p.profileId()).collect(Collectors.toCollection(TreeSet::new));
        ProfileStreamCompleted completed = events.get(events.size() - 1).data(ProfileStreamCompleted.class);
        assertEquals(profiles, completed.matched());
        assertEquals(usableInJava, streamed);
        assertEquals(profiles - usableInJava.size(), completed.excluded().noAddress());
        // The table is not one-sided: both outcomes occur for every field.
        assertEquals(AddressNormalizer.REQUIRED.length * AddressNormalizerTest.NOT_BLANK.size(), usableInJava.size());
        assertTrue(completed.excluded().noAddress() > 0);
    }
}
