package io.mailshot.campaign;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailshot.events.RoutingChanged;
import io.mailshot.events.RunRequested;
import io.mailshot.events.Topics;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.infra.KafkaTestClients;
import io.mailshot.kit.messaging.EventCodec;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/**
 * Four eyes by token subject: whoever created or submitted a campaign can never approve or reject it, whatever they
 * send; an approval covers what was approved; who did each step is recorded from the token and travels with the run.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "campaign"))
@QuarkusTestResource(PeerServicesStub.class)
class FourEyesTest {

    private static final String PROBLEM = "application/problem+json";

    @Inject
    EventCodec codec;

    private static RequestSpecification as(String user) {
        return given().header("Authorization", InfraTestResource.bearer(user));
    }

    /** A configuration whose campaigns need approval (the test installation leaves it to configurations). */
    private static String reviewedConfiguration() {
        return as("marketer")
                .contentType(ContentType.JSON)
                .body("{\"name\":\"four-eyes-" + UUID.randomUUID() + "\",\"routingId\":\""
                        + PeerServicesStub.ACTIVE_ROUTING + "\",\"approvalRequired\":true}")
                .post("/direct-mail-configurations")
                .then()
                .statusCode(201)
                .body("approvalRequired", equalTo(true))
                .extract()
                .path("id");
    }

    private static String create(String user, String configuration) {
        return as(user).contentType(ContentType.JSON)
                .body(CampaignFlowTest.campaignBody(configuration, "SCHEDULED"))
                .post("/campaigns")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    @Test
    void theAuthorCannotApproveWhateverTheySendAndAnotherPersonCan() {
        String id = create("admin", reviewedConfiguration());
        as("admin")
                .get("/campaigns/{id}", id)
                .then()
                .body("approvalRequired", equalTo(true))
                .body("createdBy.subject", equalTo(InfraTestResource.subject("admin")))
                .body("createdBy.name", equalTo("Alex Admin"));
        as("marketer")
                .post("/campaigns/{id}/activate", id)
                .then()
                .statusCode(409)
                .body("rule", equalTo("approval-required"));
        as("admin")
                .post("/campaigns/{id}/submit", id)
                .then()
                .statusCode(200)
                .body("status", equalTo("PENDING_APPROVAL"))
                .body("submittedBy.subject", equalTo(InfraTestResource.subject("admin")));

        // The author holds the approver role too: the rule is about the person, not the role. The old header, any
        // spelling of any name, changes nothing.
        for (String header : new String[] {"approver", "ADMIN", "Ada Approver"}) {
            as("admin")
                    .header("X-Mailshot-User", header)
                    .post("/campaigns/{id}/approve", id)
                    .then()
                    .statusCode(403)
                    .contentType(PROBLEM)
                    .body("rule", equalTo("four-eyes"))
                    .body("detail", containsString("created"));
        }
        as("admin").post("/campaigns/{id}/reject", id).then().statusCode(403).body("rule", equalTo("four-eyes"));
        // A marketer is not an approver at all: the role is missing, named in the problem.
        as("marketer")
                .post("/campaigns/{id}/approve", id)
                .then()
                .statusCode(403)
                .contentType(PROBLEM)
                .body("rule", equalTo("role"))
                .body("detail", containsString("mailshot-approver"));
        as("marketer").post("/campaigns/{id}/activate", id).then().statusCode(409);

        as("approver")
                .post("/campaigns/{id}/approve", id)
                .then()
                .statusCode(200)
                .body("status", equalTo("APPROVED"))
                .body("approvedBy.subject", equalTo(InfraTestResource.subject("approver")))
                .body("approvedBy.name", equalTo("Ada Approver"));
        String run = as("marketer")
                .post("/campaigns/{id}/activate", id)
                .then()
                .statusCode(202)
                .body("requestedBy.subject", equalTo(InfraTestResource.subject("marketer")))
                .body("requestedBy.name", equalTo("Mark Marketer"))
                .extract()
                .path("id");
        as("viewer")
                .get("/campaigns/{id}", id)
                .then()
                .statusCode(200)
                .body("activatedBy.subject", equalTo(InfraTestResource.subject("marketer")));

        // The run's first event carries who started it.
        var requested = KafkaTestClients.read(Topics.RUNS, r -> run.equals(r.key()), 1, Duration.ofSeconds(30));
        RunRequested fact = codec.decode(requested.get(0)).data(RunRequested.class);
        assertEquals(InfraTestResource.subject("marketer"), fact.requestedBy().subject());
        assertEquals("Mark Marketer", fact.requestedBy().name());
    }

    @Test
    void whoeverSubmittedCannotReviewEither() {
        String id = create("marketer", reviewedConfiguration());
        as("admin").post("/campaigns/{id}/submit", id).then().statusCode(200);
        as("admin")
                .post("/campaigns/{id}/approve", id)
                .then()
                .statusCode(403)
                .body("rule", equalTo("four-eyes"))
                .body("detail", containsString("submitted"));
        as("approver")
                .post("/campaigns/{id}/reject", id)
                .then()
                .statusCode(200)
                .body("status", equalTo("DRAFT"))
                .body("rejectedBy.name", equalTo("Ada Approver"));
        // Back in DRAFT it still cannot run without an approval.
        as("marketer")
                .post("/campaigns/{id}/activate", id)
                .then()
                .statusCode(409)
                .body("rule", equalTo("approval-required"));
    }

    @Test
    void changingTheConfigurationAfterApprovalSendsTheCampaignBackToDraft() {
        String configuration = reviewedConfiguration();
        String id = create("marketer", configuration);
        as("marketer").post("/campaigns/{id}/submit", id).then().statusCode(200);
        as("approver").post("/campaigns/{id}/approve", id).then().statusCode(200);

        // Another folder is another destination: what was approved is no longer what would run.
        String name = as("viewer")
                .get("/direct-mail-configurations/{id}", configuration)
                .then()
                .extract()
                .path("name");
        as("marketer")
                .contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"routingId\":\"" + PeerServicesStub.ACTIVE_ROUTING
                        + "\",\"approvalRequired\":true,\"folderTemplate\":\"elsewhere\"}")
                .put("/direct-mail-configurations/{id}", configuration)
                .then()
                .statusCode(200)
                .body("updatedBy.name", equalTo("Mark Marketer"));
        as("viewer")
                .get("/campaigns/{id}", id)
                .then()
                .body("status", equalTo("DRAFT"))
                .body("approvedBy", nullValue())
                .body("approvalWithdrawn", containsString(configuration));
        as("marketer")
                .post("/campaigns/{id}/activate", id)
                .then()
                .statusCode(409)
                .body("rule", equalTo("approval-required"));
    }

    @Test
    void aChangeOfTheRoutingAfterApprovalSendsTheCampaignBackToDraftOnce() throws Exception {
        String id = create("marketer", reviewedConfiguration());
        as("marketer").post("/campaigns/{id}/submit", id).then().statusCode(200);
        as("approver").post("/campaigns/{id}/approve", id).then().statusCode(200);

        // The delivery-service's fact: the routing's host changed.
        Instant changedAt = Instant.now();
        publish(new RoutingChanged(PeerServicesStub.ACTIVE_ROUTING, List.of("sftp.host"), "ACTIVE", changedAt));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> as("viewer")
                        .get("/campaigns/{id}", id)
                        .then()
                        .body("status", equalTo("DRAFT"))
                        .body("approvalWithdrawn", containsString("sftp.host")));

        // Approved again after the change: the same fact arriving late (redelivered) leaves the new approval alone,
        // and a routing that was only activated moves no file elsewhere.
        as("marketer").post("/campaigns/{id}/submit", id).then().statusCode(200);
        as("approver").post("/campaigns/{id}/approve", id).then().statusCode(200);
        publish(new RoutingChanged(PeerServicesStub.ACTIVE_ROUTING, List.of("sftp.host"), "ACTIVE", changedAt));
        publish(new RoutingChanged(PeerServicesStub.ACTIVE_ROUTING, List.of("status"), "ACTIVE", Instant.now()));
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> as("viewer").get("/campaigns/{id}", id).then().body("status", equalTo("APPROVED")));
    }

    private void publish(RoutingChanged change) throws Exception {
        try (KafkaProducer<String, String> producer = KafkaTestClients.producer()) {
            producer.send(codec.encode(
                            Topics.ROUTING_CHANGES, change.routingId().toString(), "/delivery-service", change))
                    .get();
        }
    }

    @Test
    void approvalIsNotTheAuthorsChoice() {
        // The flag campaigns once carried is not part of the request any more: refused, not ignored.
        String body = CampaignFlowTest.campaignBody(reviewedConfiguration(), "SCHEDULED")
                .replaceFirst("\\{", "{\"approvalRequired\": false,");
        as("marketer")
                .contentType(ContentType.JSON)
                .body(body)
                .post("/campaigns")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("approvalRequired"));
        // A viewer reads, and writes nothing.
        as("viewer")
                .contentType(ContentType.JSON)
                .body(CampaignFlowTest.campaignBody(reviewedConfiguration(), "SCHEDULED"))
                .post("/campaigns")
                .then()
                .statusCode(403)
                .contentType(PROBLEM)
                .body("detail", containsString("mailshot-marketer"));
    }
}
