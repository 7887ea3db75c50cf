package io.mailshot.audience;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.mailshot.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "audience"))
class AudienceResourceTest {

    @Test
    void createReadListAndEstimate() {
        String tag = UUID.randomUUID().toString();
        Profiles.post(String.join(
                        "\n",
                        Profiles.line("E1-" + tag, "FR", "Lyon", "A", "y", "gold", tag, false, null),
                        Profiles.line("E2-" + tag, "FR", "Paris", "B", "n", "silver", tag, false, null),
                        Profiles.line("E3-" + tag, "FR", "Nice", "C", "y", "bronze", tag, false, null),
                        Profiles.line("E4-" + tag, "DE", "Berlin", "D", "y", "gold", tag, false, null),
                        Profiles.line("E5-" + tag, "FR", "Lille", "E", "y", null, tag, false, null),
                        Profiles.line("E6-" + tag, "FR", "Lyon", "F", "y", "gold", tag, true, null)))
                .statusCode(200)
                .body("accepted", equalTo(6));
        String name = "French gold members " + tag;
        Map<String, Object> body = Map.of(
                "name",
                name,
                "filter",
                List.of(
                        Map.of("path", "homeAddress.countryCode", "op", "eq", "value", "FR"),
                        Map.of("path", "attributes.loyalty.tier", "op", "in", "values", List.of("gold", "silver")),
                        Map.of("path", "attributes.tag", "op", "eq", "value", tag)));

        String id = given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/audiences")
                .then()
                .statusCode(201)
                .body("name", equalTo(name))
                .body("filter[1].op", equalTo("in"))
                .body("filter[1].values", equalTo(List.of("gold", "silver")))
                .body("createdAt", notNullValue())
                .extract()
                .path("id");
        given().when().post("/audiences").then().statusCode(415);

        given().when()
                .get("/audiences/" + id)
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("name", equalTo(name))
                .body("filter[0].path", equalTo("homeAddress.countryCode"))
                .body("filter[0].value", equalTo("FR"));
        given().when().get("/audiences").then().statusCode(200).body("id", hasItem(id));
        // E1 and E2 (consent does not matter for an estimate); E6 is a test profile.
        given().when()
                .get("/audiences/" + id + "/estimate")
                .then()
                .statusCode(200)
                .body("count", equalTo(2));
        given().when()
                .get("/audiences/" + id + "/matches-any")
                .then()
                .statusCode(200)
                .body("matchesAny", equalTo(true));

        // Only a test profile matches: the audience matches no profile a run would stream.
        String onlyTest = given().contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "only test " + tag,
                        "filter",
                        List.of(
                                Map.of("path", "attributes.tag", "op", "eq", "value", tag),
                                Map.of("path", "homeAddress.city", "op", "eq", "value", "Lyon"),
                                Map.of("path", "attributes.loyalty.tier", "op", "eq", "value", "gold"),
                                Map.of("path", "person.name.lastName", "op", "eq", "value", "F"))))
                .when()
                .post("/audiences")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        given().when()
                .get("/audiences/" + onlyTest + "/matches-any")
                .then()
                .statusCode(200)
                .body("matchesAny", equalTo(false));
        given().when()
                .get("/audiences/" + UUID.randomUUID() + "/matches-any")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void locationAndOtherOps() {
        String tag = UUID.randomUUID().toString();
        Profiles.post(String.join(
                        "\n",
                        Profiles.line("O1-" + tag, "FR", "Lyon", "A", "y", "gold", tag, false, null),
                        Profiles.line("O2-" + tag, "FR", "Paris", null, "y", null, tag, false, null)))
                .statusCode(200)
                .body("accepted", equalTo(2));

        var created = given().contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        tag + "-missing",
                        "filter",
                        List.of(
                                Map.of("path", "attributes.tag", "op", "eq", "value", tag),
                                Map.of("path", "attributes.loyalty.tier", "op", "missing"))))
                .when()
                .post("/audiences")
                .then()
                .statusCode(201)
                .extract();
        String id = created.path("id");
        Assertions.assertTrue(created.header("Location").endsWith("/audiences/" + id));
        given().when().get("/audiences/" + id + "/estimate").then().body("count", equalTo(1));

        assertCount(
                tag + "-exists",
                List.of(
                        Map.of("path", "attributes.tag", "op", "eq", "value", tag),
                        Map.of("path", "person.name.lastName", "op", "exists")),
                1);
        assertCount(
                tag + "-neq",
                List.of(
                        Map.of("path", "attributes.tag", "op", "eq", "value", tag),
                        Map.of("path", "homeAddress.city", "op", "neq", "value", "Lyon")),
                1);
        assertCount(
                tag + "-number",
                List.of(
                        Map.of("path", "attributes.tag", "op", "eq", "value", tag),
                        Map.of("path", "attributes.loyalty.points", "op", "eq", "value", 120)),
                2);
    }

    @Test
    void validationProblemsNameTheField() {
        String tag = UUID.randomUUID().toString();
        problem(Map.of("name", "", "filter", List.of()), 400, "name");
        problem(Map.of("filter", List.of()), 400, "name");
        problem(
                        Map.of(
                                "name",
                                tag,
                                "filter",
                                List.of(Map.of("path", "a'); drop table profile; --", "op", "eq", "value", "x"))),
                        400,
                        "filter[0].path")
                .body("rule", equalTo("Pattern"));
        problem(
                Map.of(
                        "name",
                        tag,
                        "filter",
                        List.of(
                                Map.of("path", "homeAddress.city", "op", "eq", "value", "x"),
                                Map.of("path", "x\" = '' or 1=1", "op", "exists"))),
                400,
                "filter[1].path");
        problem(
                Map.of("name", tag, "filter", List.of(Map.of("path", "homeAddress..city", "op", "exists"))),
                400,
                "filter[0].path");
        problem(
                Map.of("name", tag, "filter", List.of(Map.of("path", "homeAddress.city", "op", "like", "value", "x"))),
                400,
                "filter[0].op");
        problem(
                        Map.of("name", tag, "filter", List.of(Map.of("path", "homeAddress.city", "op", "eq"))),
                        422,
                        "filter[0].value")
                .body("rule", equalTo("required"));
        problem(
                Map.of(
                        "name",
                        tag,
                        "filter",
                        List.of(Map.of("path", "homeAddress.city", "op", "in", "values", List.of()))),
                422,
                "filter[0].values");
        problem(
                Map.of(
                        "name",
                        tag,
                        "filter",
                        List.of(Map.of("path", "homeAddress.city", "op", "eq", "value", Map.of("nested", "object")))),
                422,
                "filter[0].value");
        problem(
                        Map.of(
                                "name",
                                tag,
                                "filter",
                                List.of(Map.of(
                                        "path",
                                        "homeAddress.city",
                                        "op",
                                        "in",
                                        "values",
                                        Collections.nCopies(1001, "x")))),
                        422,
                        "filter[0].values")
                .body("rule", equalTo("max-values"));
        given().contentType(ContentType.JSON)
                .body("{\"name\": ")
                .when()
                .post("/audiences")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().when()
                .get("/audiences/" + UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().when()
                .get("/audiences/" + UUID.randomUUID() + "/estimate")
                .then()
                .statusCode(404);
    }

    @Test
    void duplicateNameIsAConflict() {
        String name = "dup " + UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body(Map.of("name", name))
                .when()
                .post("/audiences")
                .then()
                .statusCode(201)
                .body("filter", equalTo(List.of()));
        problem(Map.of("name", name), 409, "name").body("rule", equalTo("unique"));
    }

    @Test
    void injectionInValuesIsALiteral() {
        String tag = UUID.randomUUID().toString();
        Profiles.post(Profiles.line("I1-" + tag, "FR", "Lyon", "A", "y", "gold", tag, false, null))
                .statusCode(200)
                .body("accepted", equalTo(1));
        assertCount(
                tag + "-inject-eq",
                List.of(
                        Map.of("path", "homeAddress.city", "op", "eq", "value", "x' or '1'='1"),
                        Map.of("path", "attributes.tag", "op", "eq", "value", tag)),
                0);
        assertCount(
                tag + "-inject-in",
                List.of(
                        Map.of("path", "homeAddress.city", "op", "in", "values", List.of("'); drop table profile; --")),
                        Map.of("path", "attributes.tag", "op", "eq", "value", tag)),
                0);
        // The table is intact and the literal comparison still works.
        assertCount(tag + "-plain", List.of(Map.of("path", "attributes.tag", "op", "eq", "value", tag)), 1);
        given().when().get("/profiles/crmId/I1-" + tag).then().statusCode(200);
    }

    private static void assertCount(String name, List<Map<String, Object>> filter, int expected) {
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "filter", filter))
                .when()
                .post("/audiences")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        given().when()
                .get("/audiences/" + id + "/estimate")
                .then()
                .statusCode(200)
                .body("count", equalTo(expected));
    }

    private static ValidatableResponse problem(Object body, int status, String field) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/audiences")
                .then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("field", equalTo(field));
    }
}
