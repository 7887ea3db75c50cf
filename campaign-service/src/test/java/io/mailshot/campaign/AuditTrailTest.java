package io.mailshot.campaign;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailshot.events.DeliveredFile;
import io.mailshot.events.DeliverySucceeded;
import io.mailshot.events.ExtractionCompleted;
import io.mailshot.events.StagedFile;
import io.mailshot.events.Topics;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.infra.KafkaTestClients;
import io.mailshot.kit.messaging.EventCodec;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * The audit trail of a campaign tells its story from creation to delivery, each step with its actor from the token;
 * refusals are in it too; everyone with a role reads it, nobody rewrites it.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "campaign"))
@QuarkusTestResource(PeerServicesStub.class)
class AuditTrailTest {

    private static final String PROBLEM = "application/problem+json";

    @Inject
    EventCodec codec;

    @Inject
    DataSource dataSource;

    @TestHTTPResource("/audit")
    URI audit;

    private static RequestSpecification as(String user) {
        return given().header("Authorization", InfraTestResource.bearer(user));
    }

    private static String reviewedConfiguration() {
        return as("marketer")
                .contentType(ContentType.JSON)
                .body("{\"name\":\"audit-" + UUID.randomUUID() + "\",\"routingId\":\"" + PeerServicesStub.ACTIVE_ROUTING
                        + "\",\"approvalRequired\":true}")
                .post("/direct-mail-configurations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private void publish(String runId, String topic, Record event) {
        try (KafkaProducer<String, String> producer = KafkaTestClients.producer()) {
            producer.send(codec.encode(topic, runId, "/test", event));
            producer.flush();
        }
    }

    private static JsonPath trail(String user, String entity, String id) {
        return as(user).get("/audit?entity={entity}&id={id}&size=200", entity, id)
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .extract()
                .jsonPath();
    }

    @Test
    void theTrailOfACampaignListsEachStepFromCreationToDeliveryWithItsActor() {
        String configuration = reviewedConfiguration();
        String id = as("marketer")
                .contentType(ContentType.JSON)
                .body(CampaignFlowTest.campaignBody(configuration, "SCHEDULED"))
                .post("/campaigns")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        as("marketer").post("/campaigns/{id}/submit", id).then().statusCode(200);
        // The author tries to approve their own campaign (without the approver role): refused, and on the record.
        as("marketer").post("/campaigns/{id}/approve", id).then().statusCode(403);
        as("approver").post("/campaigns/{id}/approve", id).then().statusCode(200);
        String runId = as("marketer")
                .post("/campaigns/{id}/activate", id)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        UUID run = UUID.fromString(runId);
        publish(
                runId,
                Topics.EXTRACTION_EVENTS,
                new ExtractionCompleted(
                        run,
                        UUID.fromString(id),
                        PeerServicesStub.ACTIVE_ROUTING,
                        3,
                        List.of(new StagedFile("f.csv", "mailshot-staging", "runs/" + runId + "/f.csv", 3, 30, "00"))));
        publish(
                runId,
                Topics.DELIVERY_EVENTS,
                new DeliverySucceeded(
                        run,
                        PeerServicesStub.ACTIVE_ROUTING,
                        "s3://x/y",
                        List.of(new DeliveredFile("f.csv", "s3://x/y/f.csv", 30, "00"))));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> as("viewer").get("/runs/{id}", runId).then().body("status", equalTo("DELIVERED")));

        // A viewer reads the story, oldest first: each step, its actor (subject and name) and its outcome.
        JsonPath story = trail("viewer", "campaign", id);
        List<String> actions = story.getList("items.action");
        assertEquals(
                List.of(
                        "campaign.create",
                        "campaign.submit",
                        "campaign.approve",
                        "campaign.approve",
                        "run.start",
                        "campaign.activate",
                        "run.delivered"),
                actions,
                story.prettify());
        String marketer = InfraTestResource.subject("marketer");
        String approver = InfraTestResource.subject("approver");
        List<String> subjects = story.getList("items.actor.subject");
        List<String> names = story.getList("items.actor.name");
        List<String> outcomes = story.getList("items.outcome");
        assertEquals(List.of(marketer, marketer, marketer, approver, marketer, marketer, "system"), subjects);
        assertEquals(
                List.of(
                        "Mark Marketer",
                        "Mark Marketer",
                        "Mark Marketer",
                        "Ada Approver",
                        "Mark Marketer",
                        "Mark Marketer",
                        "Mailshot"),
                names);
        assertEquals(List.of("DONE", "DONE", "REFUSED", "DONE", "DONE", "DONE", "DONE"), outcomes);
        // The self-approval: refused, with the status and rule of the answer.
        assertEquals("role", story.getString("items[2].details.rule"));
        assertEquals(403, story.getInt("items[2].details.status"));
        assertEquals(Map.of("from", "DRAFT", "to", "PENDING_APPROVAL"), story.getMap("items[1].details"));
        assertEquals(Map.of("from", "PENDING_APPROVAL", "to", "APPROVED"), story.getMap("items[3].details"));
        assertEquals(runId, story.getString("items[5].details.runId"));
        // The run's own steps name the run and the campaign they belong to.
        assertEquals(Map.of("type", "run", "id", runId), story.getMap("items[6].entity"));
        assertEquals(Map.of("type", "campaign", "id", id), story.getMap("items[6].within"));
        assertEquals("DELIVERED", story.getString("items[6].details.to"));
        assertEquals(3, story.getInt("items[6].details.exportedRows"));
        assertEquals(7, story.getInt("total"));

        // The run's own trail: its start and its delivery, nothing of the campaign's.
        assertEquals(
                List.of("run.start", "run.delivered"),
                trail("viewer", "run", runId).getList("items.action"));
        // The configuration's creation is on the configuration's trail.
        JsonPath config = trail("approver", "configuration", configuration);
        assertEquals(List.of("configuration.create"), config.getList("items.action"));
        assertEquals(marketer, config.getString("items[0].actor.subject"));
    }

    @Test
    void aConfigurationChangeRecordsTheChangeAndEachWithdrawnApproval() {
        String configuration = reviewedConfiguration();
        String id = as("marketer")
                .contentType(ContentType.JSON)
                .body(CampaignFlowTest.campaignBody(configuration, "SCHEDULED"))
                .post("/campaigns")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        as("marketer").post("/campaigns/{id}/submit", id).then().statusCode(200);
        as("approver").post("/campaigns/{id}/approve", id).then().statusCode(200);
        String name = as("viewer")
                .get("/direct-mail-configurations/{id}", configuration)
                .then()
                .extract()
                .path("name");
        as("admin")
                .contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"routingId\":\"" + PeerServicesStub.ACTIVE_ROUTING
                        + "\",\"approvalRequired\":true,\"folderTemplate\":\"elsewhere\"}")
                .put("/direct-mail-configurations/{id}", configuration)
                .then()
                .statusCode(200);

        JsonPath config = trail("viewer", "configuration", configuration);
        assertEquals(List.of("configuration.create", "configuration.update"), config.getList("items.action"));
        assertEquals(List.of("folderTemplate"), config.getList("items[1].details.changed"));
        assertEquals(1, config.getInt("items[1].details.approvalsWithdrawn"));
        assertEquals(InfraTestResource.subject("admin"), config.getString("items[1].actor.subject"));

        JsonPath story = trail("viewer", "campaign", id);
        assertEquals("campaign.approval-withdrawn", story.getString("items[-1].action"));
        assertEquals(InfraTestResource.subject("admin"), story.getString("items[-1].actor.subject"));
        assertEquals("APPROVED", story.getString("items[-1].details.from"));
        assertEquals("DRAFT", story.getString("items[-1].details.to"));
        assertTrue(story.getString("items[-1].details.reason").contains(configuration), story.prettify());

        // A viewer trying to change anything is refused by role, and that is on the record too.
        as("viewer")
                .post("/campaigns/{id}/stop", id)
                .then()
                .statusCode(403)
                .contentType(PROBLEM)
                .body("rule", equalTo("role"));
        JsonPath after = trail("viewer", "campaign", id);
        assertEquals("campaign.stop", after.getString("items[-1].action"));
        assertEquals("REFUSED", after.getString("items[-1].outcome"));
        assertEquals("role", after.getString("items[-1].details.rule"));
        assertEquals(InfraTestResource.subject("viewer"), after.getString("items[-1].actor.subject"));
    }

    @Test
    void aRefusedChangeLeavesARefusalAndNoDoneEntry() {
        // The author holds the approver role: four eyes refuses them by subject.
        String id = as("admin")
                .contentType(ContentType.JSON)
                .body(CampaignFlowTest.campaignBody(reviewedConfiguration(), "SCHEDULED"))
                .post("/campaigns")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        // Approving a DRAFT is refused (409): the campaign does not change, and no DONE entry claims it did.
        as("approver").post("/campaigns/{id}/approve", id).then().statusCode(409);
        as("admin").post("/campaigns/{id}/submit", id).then().statusCode(200);
        as("admin").post("/campaigns/{id}/approve", id).then().statusCode(403).body("rule", equalTo("four-eyes"));
        as("viewer").get("/campaigns/{id}", id).then().body("status", equalTo("PENDING_APPROVAL"));

        JsonPath story = trail("viewer", "campaign", id);
        assertEquals(
                List.of("campaign.create", "campaign.approve", "campaign.submit", "campaign.approve"),
                story.getList("items.action"),
                story.prettify());
        assertEquals(List.of("DONE", "REFUSED", "DONE", "REFUSED"), story.getList("items.outcome"));
        assertEquals("is-pending-approval", story.getString("items[1].details.rule"));
        assertEquals(409, story.getInt("items[1].details.status"));
        assertEquals("four-eyes", story.getString("items[3].details.rule"));
        assertEquals(403, story.getInt("items[3].details.status"));
        assertEquals(InfraTestResource.subject("admin"), story.getString("items[3].actor.subject"));
    }

    @Test
    void everyRoleReadsTheTrailAndNobodyAnonymous() throws Exception {
        for (String user : List.of("viewer", "marketer", "approver", "routing-admin", "audience-manager", "operator")) {
            as(user).get("/audit?entity=campaign&id={id}", UUID.randomUUID())
                    .then()
                    .statusCode(200)
                    .body("total", equalTo(0))
                    .body("page", equalTo(0))
                    .body("size", equalTo(50));
        }
        HttpResponse<String> anonymous = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(audit + "?entity=campaign&id=" + UUID.randomUUID()))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("Content-Type").orElse("").startsWith(PROBLEM));

        // Bad parameters are problems naming them.
        as("viewer")
                .get("/audit?entity=profile&id=x")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("entity"))
                .body("rule", equalTo("enum"))
                .body("detail", Matchers.containsString("campaign"));
        as("viewer")
                .get("/audit?id=x")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("entity"))
                .body("rule", equalTo("required"));
        for (String blank : List.of("id=", "id", "id=%20")) {
            as("viewer")
                    .urlEncodingEnabled(false)
                    .get("/audit?entity=campaign&" + blank)
                    .then()
                    .statusCode(400)
                    .contentType(PROBLEM)
                    .body("field", equalTo("id"))
                    .body("rule", equalTo("not-blank"));
        }
        as("viewer")
                .get("/audit?entity=campaign&size=0")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("size"))
                .body("rule", equalTo("Min"));
        // Without an id: every entity of the type, paged.
        as("viewer")
                .get("/audit?entity=configuration&size=1")
                .then()
                .statusCode(200)
                .body("items.size()", Matchers.lessThanOrEqualTo(1))
                .body("items.entity.type", Matchers.everyItem(equalTo("configuration")));
    }

    @Test
    void theTableRefusesUpdateDeleteAndTruncate() throws SQLException {
        reviewedConfiguration();
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            try (var rs = s.executeQuery("select count(*) from audit_entry")) {
                rs.next();
                assertTrue(rs.getLong(1) > 0);
            }
            for (String sql : List.of(
                    "update audit_entry set actor_subject = 'someone-else'",
                    "delete from audit_entry",
                    "delete from audit_entry where false",
                    "truncate audit_entry")) {
                SQLException refused = assertThrows(SQLException.class, () -> s.execute(sql), sql);
                assertTrue(refused.getMessage().contains("append-only"), refused.getMessage());
            }
        }
        // Still all there, and still readable.
        as("viewer")
                .get("/audit?entity=configuration")
                .then()
                .statusCode(200)
                .body("items.actor.subject", hasItem(InfraTestResource.subject("marketer")));
    }
}
