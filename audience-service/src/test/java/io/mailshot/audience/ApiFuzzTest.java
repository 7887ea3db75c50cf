package io.mailshot.audience;

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
 * problem+json with the HTTP status and a detail, naming the field or parameter that is wrong. Bodies go to an
 * audience and a suppression list of this test's own (other path parameters are random ids; no case ingests a
 * valid profile), so nothing a case sends can change what other tests see.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "audience"))
class ApiFuzzTest {

    /** Fixed: the same cases every run, so a failure can be replayed. */
    private static final long SEED = 17;

    @TestHTTPResource("/")
    URI base;

    @Test
    void malformedBodiesAreRefusedWithProblemsNamingTheField() throws Exception {
        // Bodies for an audience and a suppression list that exist reach the service's own code, not only the parser.
        String audience = given().contentType(ContentType.JSON)
                .body("{\"name\": \"fuzz-" + UUID.randomUUID() + "\", \"filter\": \"attributes.fuzz = \\\"none\\\"\"}")
                .post("/audiences")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String list = given().contentType(ContentType.JSON)
                .body("{\"name\": \"fuzz-" + UUID.randomUUID() + "\", \"reason\": \"OTHER\"}")
                .post("/suppression-lists")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        ApiFuzz fuzz = ApiFuzz.against(
                        base,
                        SEED,
                        Map.of(
                                "/audiences/{id}/field-coverage",
                                Map.of("id", audience),
                                "/suppression-lists/{id}/entries",
                                Map.of("id", list)))
                .signedIn(InfraTestResource.bearer("admin"));
        fuzz.checkBodies(300);
    }

    @Test
    void malformedParametersAreRefusedWithProblemsNamingThem() throws Exception {
        ApiFuzz fuzz = ApiFuzz.against(base, SEED).signedIn(InfraTestResource.bearer("admin"));
        fuzz.checkParameters();
    }
}
