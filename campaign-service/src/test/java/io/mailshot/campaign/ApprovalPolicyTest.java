package io.mailshot.campaign;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

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

/** An installation that requires approval requires it of every campaign, whatever its configuration says. */
@QuarkusTest
@TestProfile(ApprovalPolicyTest.Required.class)
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "campaign"))
@QuarkusTestResource(PeerServicesStub.class)
class ApprovalPolicyTest {

    /** The production default. */
    public static class Required implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mailshot.approval.required", "true");
        }
    }

    @Test
    void aConfigurationCannotWaiveTheInstallationsPolicy() {
        String configuration = given().contentType(ContentType.JSON)
                .body("{\"name\":\"policy-" + UUID.randomUUID() + "\",\"routingId\":\""
                        + PeerServicesStub.ACTIVE_ROUTING + "\",\"approvalRequired\":false}")
                .post("/direct-mail-configurations").then().statusCode(201).extract().path("id");
        String id = given().header("Authorization", InfraTestResource.bearer("marketer")).contentType(ContentType.JSON)
                .body(CampaignFlowTest.campaignBody(configuration, "SCHEDULED")).post("/campaigns").then()
                .statusCode(201).body("approvalRequired", equalTo(true)).extract().path("id");
        given().header("Authorization", InfraTestResource.bearer("marketer")).post("/campaigns/{id}/activate", id)
                .then().statusCode(409).body("rule", equalTo("approval-required"));
    }
}
