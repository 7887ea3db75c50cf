package io.mailshot.campaign;

import static io.restassured.RestAssured.given;

import io.mailshot.fuzz.ApiFuzz;
import io.mailshot.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every POST, PUT and PATCH body and every path and query parameter of this service's own OpenAPI document,
 * broken in every way the schema allows (see {@link io.mailshot.fuzz.RequestFuzzer}): never a 5xx, every 4xx a
 * problem+json with the HTTP status and a detail, naming the field or parameter that is wrong. Bodies go to a
 * configuration and a campaign of this test's own (other path parameters are random ids), so nothing a case
 * sends can change what other tests see.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "campaign"))
@QuarkusTestResource(PeerServicesStub.class)
class ApiFuzzTest {

    /** Fixed: the same cases every run, so a failure can be replayed. */
    private static final long SEED = 17;

    @TestHTTPResource("/")
    URI base;

    @Test
    void malformedBodiesAreRefusedWithProblemsNamingTheField() throws Exception {
        // Bodies for a configuration and a campaign that exist reach the service's own checks, not only the parser.
        String configuration =
                CampaignFlowTest.createConfiguration("fuzz-" + UUID.randomUUID(), PeerServicesStub.ACTIVE_ROUTING);
        String campaign = given().contentType(ContentType.JSON)
                .body(CampaignFlowTest.campaignBody(configuration, "SCHEDULED"))
                .post("/campaigns")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        ApiFuzz fuzz = ApiFuzz.against(
                        base,
                        SEED,
                        Map.of(
                                "/direct-mail-configurations/{id}",
                                Map.of("id", configuration),
                                "/campaigns/{id}/simulate",
                                Map.of("id", campaign)))
                .signedIn(InfraTestResource.bearer("admin"));
        fuzz.checkBodies(300);
    }

    @Test
    void malformedParametersAreRefusedWithProblemsNamingThem() throws Exception {
        ApiFuzz fuzz = ApiFuzz.against(base, SEED).signedIn(InfraTestResource.bearer("admin"));
        fuzz.checkParameters();
    }
}
