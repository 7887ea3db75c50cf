package io.mailshot.audience;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.events.Actor;
import io.mailshot.events.ExclusionCounts;
import io.mailshot.events.FileColumn;
import io.mailshot.events.ProfileStreamCompleted;
import io.mailshot.events.RunRequested;
import io.mailshot.events.RunSpec;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.kit.messaging.EventCodec;
import io.mailshot.kit.messaging.IncomingEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * A provider's returned-mail file, imported as CSV and NDJSON: good lines are stored once, bad ones reported by line;
 * the next run excludes the returned addresses as {@code returned}, and a profile whose address changed is mailed
 * again.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "audience"))
class ReturnedMailTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EventCodec codec;

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private final String tag = UUID.randomUUID().toString().substring(0, 8);

    private String line(String id, String street1, String lastName, String eventTime) throws Exception {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("identity", Map.of("namespace", "crmId", "id", id + "-" + tag));
        p.put("person", Map.of("name", Map.of("lastName", lastName)));
        p.put(
                "homeAddress",
                Map.of(
                        "street1",
                        street1 + " " + tag,
                        "postalCode",
                        "RT1 1AA",
                        "city",
                        "Reading",
                        "countryCode",
                        "GB"));
        p.put("attributes", Map.of("tag", tag));
        p.put("eventTime", eventTime);
        return JSON.writeValueAsString(p);
    }

    private static ValidatableResponse upload(String contentType, String body) {
        return given().config(Profiles.AS_WRITTEN)
                .contentType(contentType)
                .body(body.getBytes(StandardCharsets.UTF_8))
                .when()
                .post("/returned-mail")
                .then();
    }

    @Test
    void returnedAddressesAreExcludedUntilTheAddressChanges() throws Exception {
        String old = "2026-01-01T00:00:00Z";
        Profiles.post(String.join(
                        "\n",
                        line("R1", "1 Return Road", "Ames", old),
                        line("R2", "2 Return Road", "Bird", old),
                        line("R3", "3 Return Road", "Cole", old),
                        line("R4", "4 Return Road", "Diaz", old),
                        line("R5", "5 Return Road", "Ebb", old),
                        line("R6", "5 Return Road", "Finch", old)))
                .statusCode(200)
                .body("accepted", equalTo(6));
        // R5 moves away and, today, back to the address R6 has always had.
        Profiles.post(line("R5", "9 Elsewhere Lane", "Ebb", "2026-02-01T00:00:00Z"))
                .statusCode(200)
                .body("accepted", equalTo(1));
        Profiles.post(line("R5", "5 Return Road", "Ebb", Instant.now().toString()))
                .statusCode(200)
                .body("accepted", equalTo(1));
        UUID audience =
                Runs.audience("returns " + tag, List.of(Map.of("path", "attributes.tag", "op", "eq", "value", tag)));

        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        String csv = "namespace,id,street1,postalCode,city,countryCode,returnDate,reasonCode\r\n"
                + "crmId,R1-" + tag + ",,,,," + yesterday + ",GONE_AWAY\r\n"
                // R3's address spelt otherwise: normalised to the same key.
                + ",,3 return rd. " + tag.toUpperCase() + ",rt11aa,READING,gb," + yesterday + ",NO_SUCH_ADDRESS\r\n"
                + "crmId,NOBODY-" + tag + ",,,,," + yesterday + ",GONE_AWAY\r\n"
                + "crmId,R4-" + tag + ",,,,,30/11/2026,GONE_AWAY\r\n"
                + "crmId,R4-" + tag + ",,,,," + yesterday + ",\r\n"
                + "crmId,R4-" + tag + ",4 Return Road " + tag + ",RT1 1AA,Reading,GB," + yesterday + ",GONE_AWAY\r\n"
                + ",,5 Return Road " + tag + ",RT1 1AA,Reading,GB," + yesterday + ",REFUSED\r\n";
        for (int time = 0; time < 2; time++) {
            // The same file twice: the same answer, nothing stored twice.
            upload("text/csv", csv)
                    .statusCode(200)
                    .body("received", equalTo(7))
                    .body("accepted", equalTo(3))
                    .body("rejected", equalTo(4))
                    .body("errors.line", contains(4, 5, 6, 7))
                    .body("errors[0].reason", startsWith("no profile has this identity"))
                    .body("errors[1].reason", startsWith("returnDate must be an ISO date"))
                    .body("errors[2].reason", equalTo("reasonCode is required"))
                    .body("errors[3].reason", startsWith("a line names either an identity or an address"));
        }
        String ndjson = "{\"namespace\":\"crmId\",\"id\":\"R2-" + tag + "\",\"returnDate\":\"" + yesterday
                + "\",\"reasonCode\":\"GONE_AWAY\"}\n"
                + "{\"namespace\":\"crmId\",\"id\":\"R2-" + tag + "\",\"returnDate\":\"" + yesterday
                + "\",\"reasonCode\":\"GONE_AWAY\"}\n"
                + "{\"namespace\":\"crmId\",\"id\":\"R2-" + tag + "\",\"returnDate\":\"" + yesterday
                + "\",\"reasonCode\":\"GONE_AWAY\",\"colour\":\"red\"}\n";
        upload("application/x-ndjson", ndjson)
                .statusCode(200)
                .body("received", equalTo(3))
                .body("accepted", equalTo(2))
                .body("rejected", equalTo(1))
                .body("errors.line", contains(3))
                .body("errors[0].reason", startsWith("unknown member"));
        assertEquals(4, storedReturns());

        // Counts only in the audit trail, never an identity or an address.
        JsonPath audit = newestAudit();
        assertEquals("returned-mail.import", audit.getString("action"));
        assertEquals(
                Map.of("format", "ndjson", "received", 3, "accepted", 2, "rejected", 1, "unknownIdentities", 0),
                audit.getMap("details"));
        assertFalse(audit.prettify().contains(tag), audit.prettify());

        // R1, R2 (by identity), R3 (by address) and R6 are returned; R5's return predates its move back.
        Completed first = run(audience);
        assertEquals(new ExclusionCounts(0, 0, 0, 0, 0, 4, 0), first.excluded());
        assertEquals(List.of("R4", "R5"), first.streamed());
        // The pressure step is reached by the profiles a run may mail: the returned ones are not eligible.
        given().contentType(ContentType.JSON)
                .body("{\"rules\":[]}")
                .when()
                .post("/audiences/{id}/pressure-check", audience)
                .then()
                .statusCode(200)
                .body("eligible", equalTo(2))
                .body("stopped", equalTo(0));

        // R1 moves: a new address has a new key, so R1 is mailed again.
        Profiles.post(line("R1", "11 Fresh Road", "Ames", Instant.now().toString()))
                .statusCode(200)
                .body("accepted", equalTo(1));
        Completed second = run(audience);
        assertEquals(new ExclusionCounts(0, 0, 0, 0, 0, 3, 0), second.excluded());
        assertEquals(List.of("R1", "R4", "R5"), second.streamed());
    }

    @Test
    void aFileThatCannotDescribeReturnsIsRefusedWhole() {
        upload("text/csv", "namespace,id,returnDate\r\ncrmId,X,2026-01-01\r\n")
                .statusCode(422)
                .contentType("application/problem+json")
                .body("field", equalTo("body"));
        upload("text/csv", "namespace,id,returnDate,reasonCode,shoeSize\r\n")
                .statusCode(422)
                .contentType("application/problem+json")
                .body("field", equalTo("body"))
                .body("detail", Matchers.containsString("shoeSize"));
    }

    private long storedReturns() throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("select count(*) from returned_mail where address_key like ?")) {
            ps.setString(1, "%" + tag + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static JsonPath newestAudit() {
        int total = given().get("/audit?entity=returned-mail&size=1")
                .then()
                .statusCode(200)
                .extract()
                .path("total");
        return given().get("/audit?entity=returned-mail&size=1&page={p}", total - 1)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .setRootPath("items[0]");
    }

    private record Completed(List<String> streamed, ExclusionCounts excluded) {}

    private Completed run(UUID audience) throws Exception {
        RunSpec spec = new RunSpec("x.csv", List.of(new FileColumn("Id", "identity.id")), UUID.randomUUID(), null);
        RunRequested run = new RunRequested(
                UUID.randomUUID(), UUID.randomUUID(), "Returns", audience, spec, Instant.now(), Actor.SYSTEM);
        List<IncomingEvent> stream = Runs.resolve(bootstrap, codec, run);
        ProfileStreamCompleted completed = stream.get(stream.size() - 1).data(ProfileStreamCompleted.class);
        List<String> ids = Runs.profiles(stream).stream()
                .map(r -> r.profileId().substring(0, r.profileId().indexOf('-')))
                .sorted()
                .toList();
        assertEquals(completed.streamed(), ids.size());
        assertEquals(
                completed.matched(), completed.streamed() + completed.excluded().total());
        return new Completed(ids, completed.excluded());
    }
}
