package io.mailshot.audience;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailshot.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Ingestion, audiences and suppression lists are in the audit trail with who did it and what came of it: counts,
 * never a profile's or an entry's data.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "audience"))
class AuditTrailTest {

    @Inject
    DataSource dataSource;

    private static RequestSpecification as(String user) {
        return given().config(Profiles.AS_WRITTEN).header("Authorization", InfraTestResource.bearer(user));
    }

    /** The newest entry of an entity type (the trail is oldest first), as its raw JSON and parsed. */
    private static JsonPath newest(String entity) {
        int total = as("viewer")
                .get("/audit?entity={e}&size=1", entity)
                .then()
                .statusCode(200)
                .extract()
                .path("total");
        return as("viewer")
                .get("/audit?entity={e}&size=1&page={p}", entity, total - 1)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .setRootPath("items[0]");
    }

    @Test
    void anIngestionIsRecordedWithItsCountsAndNoProfileData() {
        String id = "AUDIT-" + UUID.randomUUID();
        String lastName = "Audit-Lastname-" + UUID.randomUUID();
        String city = "Audit-City-" + UUID.randomUUID();
        String body = Profiles.line(id, "FR", city, lastName, "y", "gold", "audit", false, null) + "\n"
                + Profiles.line(id + "-2", "FR", city, lastName, "y", "gold", "audit", false, null) + "\n"
                + "{\"identity\":{\"namespace\":\"crmId\"},\"person\":{\"name\":{\"lastName\":\"" + lastName
                + "\"}}}\n";
        as("audience-manager")
                .contentType("application/x-ndjson")
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post("/profiles/bulk")
                .then()
                .statusCode(200)
                .body("accepted", equalTo(2))
                .body("rejected", equalTo(1));

        JsonPath entry = newest("profiles");
        assertEquals("profiles.ingest", entry.getString("action"));
        assertEquals("DONE", entry.getString("outcome"));
        assertEquals(InfraTestResource.subject("audience-manager"), entry.getString("actor.subject"));
        assertEquals(Map.of("format", "ndjson", "received", 3, "accepted", 2, "rejected", 1), entry.getMap("details"));
        String raw = entry.prettify();
        for (String personal : List.of(id, lastName, city, id.toLowerCase() + "@example.com", "Zoë")) {
            assertFalse(raw.contains(personal), "the audit holds profile data (" + personal + "): " + raw);
        }

        String csv = "CRM ID,Last name\r\nK-" + id + "," + lastName + "\r\n";
        as("audience-manager")
                .contentType("text/csv")
                .body(csv.getBytes(StandardCharsets.UTF_8))
                .queryParam("mapping", "{\"CRM ID\":\"identity.id\",\"Last name\":\"person.name.lastName\"}")
                .queryParam("namespace", "crmId")
                .post("/profiles/csv")
                .then()
                .statusCode(200)
                .body("accepted", equalTo(1));
        JsonPath csvEntry = newest("profiles");
        assertEquals(
                Map.of("format", "csv", "namespace", "crmId", "received", 1, "accepted", 1, "rejected", 0),
                csvEntry.getMap("details"));
        assertFalse(csvEntry.prettify().contains(lastName), csvEntry.prettify());
    }

    @Test
    void aCallerWithoutTheRoleIsRefusedAndTheRefusalIsRecorded() {
        as("viewer")
                .contentType("application/x-ndjson")
                .body(Profiles.line("NOPE-" + UUID.randomUUID(), "FR", "Lyon", "Doe", "y", "gold", "audit", false, null)
                        .getBytes(StandardCharsets.UTF_8))
                .post("/profiles/bulk")
                .then()
                .statusCode(403)
                .body("rule", equalTo("role"));
        JsonPath entry = newest("profiles");
        assertEquals("REFUSED", entry.getString("outcome"));
        assertEquals(InfraTestResource.subject("viewer"), entry.getString("actor.subject"));
        assertEquals("role", entry.getString("details.rule"));
        assertEquals(403, entry.getInt("details.status"));
    }

    @Test
    void audiencesAndSuppressionListsHaveTheirTrail() {
        String audience = as("audience-manager")
                .contentType(ContentType.JSON)
                .body("{\"name\":\"audit-" + UUID.randomUUID()
                        + "\",\"filter\":\"homeAddress.city = \\\"Secretville\\\"\"}")
                .post("/audiences")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        JsonPath trail = as("viewer")
                .get("/audit?entity=audience&id={id}", audience)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(List.of("audience.create"), trail.getList("items.action"));
        assertEquals(InfraTestResource.subject("audience-manager"), trail.getString("items[0].actor.subject"));
        assertFalse(trail.prettify().contains("Secretville"), "the filter is not copied into the audit");

        String list = as("audience-manager")
                .contentType(ContentType.JSON)
                .body(Map.of("name", "audit-" + UUID.randomUUID(), "reason", "DECEASED"))
                .post("/suppression-lists")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        as("audience-manager")
                .contentType(ContentType.JSON)
                .body("[{\"namespace\":\"crmId\",\"id\":\"SECRET-1\"}, {\"namespace\":\"crmId\"}]")
                .post("/suppression-lists/{id}/entries", list)
                .then()
                .statusCode(200)
                .body("accepted", equalTo(1));
        JsonPath lists = as("operator")
                .get("/audit?entity=suppression-list&id={id}", list)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(List.of("suppression-list.create", "suppression-list.entries-add"), lists.getList("items.action"));
        assertEquals(
                Map.of("format", "json", "received", 2, "accepted", 1, "rejected", 1),
                lists.getMap("items[1].details"));
        assertFalse(lists.prettify().contains("SECRET-1"), lists.prettify());
        as("viewer")
                .get("/audit?entity=campaign")
                .then()
                .statusCode(400)
                .body("field", equalTo("entity"))
                .body("rule", equalTo("enum"));
    }

    @Test
    void theTableRefusesUpdateAndDelete() throws SQLException {
        as("audience-manager")
                .contentType(ContentType.JSON)
                .body(Map.of("name", "audit-" + UUID.randomUUID(), "reason", "MOVED"))
                .post("/suppression-lists")
                .then()
                .statusCode(201);
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            for (String sql : List.of("update audit_entry set outcome = 'DONE'", "delete from audit_entry")) {
                SQLException refused = assertThrows(SQLException.class, () -> s.execute(sql), sql);
                assertTrue(refused.getMessage().contains("append-only"), refused.getMessage());
            }
        }
    }
}
