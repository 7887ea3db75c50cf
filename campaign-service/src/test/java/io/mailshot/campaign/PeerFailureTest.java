package io.mailshot.campaign;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailshot.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * A peer in trouble is the peer's problem, not a 500 of ours: the request is answered 503 dependency-unavailable
 * (and may be sent again), a failed read is tried once more and no more, and nothing is saved. Calls carry this
 * service's own token, never the caller's.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "campaign"))
@QuarkusTestResource(PeerServicesStub.class)
class PeerFailureTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void aPeerAnswering5xxIsA503ProblemAfterOneMoreTry() {
        String name = "failing-" + UUID.randomUUID();
        int before = PeerServicesStub.FAILING_ROUTING_CALLS.get();
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"routingId\":\"" + PeerServicesStub.FAILING_ROUTING + "\"}")
                .post("/direct-mail-configurations")
                .then()
                .statusCode(503)
                .contentType(PROBLEM)
                .body("status", equalTo(503))
                .body("type", containsString("dependency-unavailable"))
                .body("detail", containsString("delivery-service answered 503"));
        assertEquals(2, PeerServicesStub.FAILING_ROUTING_CALLS.get() - before, "one call and one retry, no more");
        given().get("/direct-mail-configurations?size=200")
                .then()
                .statusCode(200)
                .body("items.name", not(Matchers.hasItem(name)));
    }

    @Test
    void peersAreCalledWithThisServicesOwnToken() {
        CampaignFlowTest.createConfiguration("token-" + UUID.randomUUID(), PeerServicesStub.ACTIVE_ROUTING);
        String sent = PeerServicesStub.lastRoutingAuthorization;
        assertTrue(sent != null && sent.startsWith("Bearer ") && sent.length() > "Bearer ".length(), sent);
        assertNotEquals(InfraTestResource.bearer("admin"), sent.substring("Bearer ".length()));
    }
}
