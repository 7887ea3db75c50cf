package io.mailshot.campaign;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.mailshot.infra.InfraPaths;
import io.mailshot.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A peer that does not answer at all (nothing listens at its address) makes the request a 503 problem. */
@QuarkusTest
@TestProfile(PeerUnreachableTest.DeliveryServiceDown.class)
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "campaign"))
@QuarkusTestResource(PeerServicesStub.class)
class PeerUnreachableTest {

    /** The delivery-service's client points at a port nobody listens on; the other peers are the stub. */
    public static class DeliveryServiceDown implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.rest-client.delivery-service.url", "http://127.0.0.1:" + InfraPaths.freePort());
        }
    }

    @Test
    void anUnreachablePeerIsA503Problem() {
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"down-" + UUID.randomUUID() + "\",\"routingId\":\"" + PeerServicesStub.ACTIVE_ROUTING
                        + "\"}")
                .post("/direct-mail-configurations")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .body("status", equalTo(503))
                .body("type", containsString("dependency-unavailable"))
                .body("detail", containsString("delivery-service is unreachable"));
    }
}
