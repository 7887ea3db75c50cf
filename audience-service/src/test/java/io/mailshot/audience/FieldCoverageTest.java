package io.mailshot.audience;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.mailshot.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** POST /audiences/{id}/field-coverage against the real profile store. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "audience"))
class FieldCoverageTest {

    private static final String PROBLEM = "application/problem+json";

    @Inject
    DataSource dataSource;

    /** One profile line with the given free attributes (values already JSON). */
    private static String profile(String id, String tag, boolean test, String attributes) {
        return "{\"identity\":{\"namespace\":\"crmId\",\"id\":\"" + id + "\"},"
                + "\"person\":{\"name\":{\"firstName\":\"Zoë\",\"lastName\":\"Martin\"}},"
                + "\"homeAddress\":{\"street1\":\"1 rue A\",\"postalCode\":\"01234\",\"city\":\"Lyon\","
                + "\"countryCode\":\"FR\"},"
                + "\"attributes\":{\"tag\":\"" + tag + "\"" + (attributes.isEmpty() ? "" : "," + attributes) + "},"
                + "\"testProfile\":" + test + "}";
    }

    private static String audience(String tag) {
        return given().contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "coverage " + tag,
                        "filter",
                        List.of(Map.of("path", "attributes.tag", "op", "eq", "value", tag))))
                .post("/audiences")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static ValidatableResponse coverage(String audience, Object body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .post("/audiences/{id}/field-coverage", audience)
                .then();
    }

    @Test
    void reportsKnownPathsAndTheirFillRateInASampleOfTheAudience() {
        String tag = UUID.randomUUID().toString();
        // A free attribute name no other test uses, so "known" is decided by this test's profiles alone.
        String own = "t" + tag.replace("-", "");
        Profiles.post(String.join(
                        "\n",
                        profile("C1-" + tag, tag, false, "\"" + own + "\":{\"rare\":\"x\"}"),
                        profile("C2-" + tag, tag, false, "\"" + own + "\":{\"rare\":\"   \"}"),
                        profile("C3-" + tag, tag, false, ""),
                        profile("C4-" + tag, tag, false, ""),
                        // Test profiles are never sampled for a run, but they are profiles: their paths are known.
                        profile("C5-" + tag, tag, true, "\"" + own + "\":{\"testOnly\":1,\"rare\":\"y\"}"),
                        // Outside the audience: known, but never filled in its sample.
                        profile("C6-" + tag, tag + "-other", false, "\"" + own + "\":{\"elsewhere\":true}")))
                .statusCode(200)
                .body("accepted", equalTo(6));
        String id = audience(tag);

        coverage(
                        id,
                        Map.of(
                                "paths",
                                List.of(
                                        "person.name.firstName",
                                        "attributes." + own + ".rare",
                                        "attributes." + own + ".elsewhere",
                                        "attributes." + own + ".testOnly",
                                        "attributes." + own + ".nobody",
                                        "homeAddress.street6",
                                        "person.name.firstName"),
                                "sample",
                                1000))
                .statusCode(200)
                .body("audienceId", equalTo(id))
                .body("sample", equalTo(1000))
                .body("paths.size()", equalTo(6)) // the repeated path is answered once
                .body("paths[0].path", equalTo("person.name.firstName"))
                .body("paths[0].known", equalTo(true))
                .body("paths[0].filled", equalTo(4))
                .body("paths[0].sampled", equalTo(4))
                // A blank value is not "filled"; the test profile's value is not in the sample.
                .body("paths[1].known", equalTo(true))
                .body("paths[1].filled", equalTo(1))
                .body("paths[2].known", equalTo(true))
                .body("paths[2].filled", equalTo(0))
                .body("paths[3].known", equalTo(true))
                .body("paths[3].filled", equalTo(0))
                .body("paths[4].path", equalTo("attributes." + own + ".nobody"))
                .body("paths[4].known", equalTo(false))
                .body("paths[4].filled", equalTo(0))
                .body("paths[4].sampled", equalTo(4))
                // A fixed field of the profile shape is known even when no profile fills it.
                .body("paths[5].known", equalTo(true))
                .body("paths[5].filled", equalTo(0));

        // The sample is bounded by the requested size.
        coverage(id, Map.of("paths", List.of("person.name.firstName"), "sample", 2))
                .statusCode(200)
                .body("paths[0].sampled", equalTo(2))
                .body("paths[0].filled", equalTo(2));
    }

    @Test
    void undecidedWhenTheStoreCannotAnswerWithinTheBudget() throws Exception {
        String tag = UUID.randomUUID().toString();
        Profiles.post(profile("U1-" + tag, tag, false, "")).statusCode(200).body("accepted", equalTo(1));
        String id = audience(tag);
        // Another session holds the profile table: every read of it waits, as a scan of a huge store would,
        // until the statement timeout cancels it.
        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(false);
            try (Statement s = lock.createStatement()) {
                s.execute("lock table profile in access exclusive mode");
                coverage(id, Map.of("paths", List.of("attributes.loyalty.tier", "homeAddress.city")))
                        .statusCode(200)
                        .body("sample", equalTo(1000))
                        .body("paths[0].known", nullValue())
                        .body("paths[0].filled", nullValue())
                        .body("paths[0].sampled", nullValue())
                        .body("paths[1].known", equalTo(true))
                        .body("paths[1].sampled", nullValue());
            } finally {
                lock.rollback();
            }
        }
        coverage(id, Map.of("paths", List.of("homeAddress.city")))
                .statusCode(200)
                .body("paths[0].filled", equalTo(1))
                .body("paths[0].sampled", equalTo(1));
    }

    @Test
    void badRequestsAreProblemsNamingFieldAndRule() throws Exception {
        String id = audience(UUID.randomUUID().toString());
        coverage(id, Map.of("paths", List.of("homeAddress.city", "x'); drop table profile; --")))
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", startsWith("paths[1]"))
                .body("rule", equalTo("Pattern"));
        coverage(id, Map.of("paths", List.of()))
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("paths"))
                .body("rule", equalTo("NotEmpty"));
        coverage(id, Map.of("paths", List.of("a.b"), "sample", 0))
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("sample"))
                .body("rule", equalTo("Min"));
        coverage(id, Map.of("paths", List.of("a.b"), "sample", 1_000_000))
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo("sample"))
                .body("rule", equalTo("max"));
        coverage(id, "{\"paths\": \"a.b\"}")
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("paths"));
        coverage(UUID.randomUUID().toString(), Map.of("paths", List.of("a.b")))
                .statusCode(404)
                .contentType(PROBLEM);
        // The refused path never reached SQL: the table is still there.
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.executeQuery("select count(*) from profile").close();
        }
    }
}
