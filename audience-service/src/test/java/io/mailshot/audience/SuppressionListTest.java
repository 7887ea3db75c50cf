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
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "audience"))
class SuppressionListTest {

    static String create(String name, String reason) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "reason", reason))
                .when()
                .post("/suppression-lists")
                .then()
                .statusCode(201)
                .body("name", equalTo(name))
                .body("reason", equalTo(reason))
                .body("entries", equalTo(0))
                .body("createdAt", notNullValue())
                .extract()
                .path("id");
    }

    static ValidatableResponse ndjson(String id, String body) {
        return given().config(Profiles.AS_WRITTEN)
                .contentType("application/x-ndjson")
                .body(body.getBytes(StandardCharsets.UTF_8))
                .when()
                .post("/suppression-lists/" + id + "/entries")
                .then();
    }

    @Test
    void createListAndAddEntriesAsNdjsonAndJsonArray() {
        String name = "deceased " + UUID.randomUUID();
        String id = create(name, "DECEASED");
        given().when().get("/suppression-lists").then().statusCode(200).body("id", hasItem(id));

        ndjson(
                        id,
                        String.join(
                                "\n",
                                "{\"namespace\":\"crmId\",\"id\":\"C1\"}",
                                "",
                                "{\"namespace\":\"email\",\"id\":\"a@example.com\"}",
                                "not json",
                                "{\"address\":{\"street1\":\"5 Avenue Foch\",\"postalCode\":\"75116\",\"city\":\"Paris\",\"countryCode\":\"FR\"}}",
                                "{\"address\":{\"street1\":\"5 Avenue Foch\",\"city\":\"Paris\",\"countryCode\":\"FR\"}}",
                                "{\"namespace\":\"crmId\"}",
                                "{\"namespace\":\"crmId\",\"id\":\"C1\",\"address\":{}}",
                                "{\"address\":{\"street1\":\"1 High St\",\"postalCode\":\"X1\",\"city\":\"Leeds\",\"countryCode\":\"GB\"},"
                                        + "\"lastName\":\"Smith\"}",
                                "{\"namespace\":\"crmId\",\"id\":\"C1\",\"sql\":\"drop\"}",
                                "[1]"))
                .statusCode(200)
                .body("received", equalTo(10))
                .body("accepted", equalTo(4))
                .body("rejected", equalTo(6))
                .body("errors[0].line", equalTo(4))
                .body("errors[0].reason", equalTo("line is not valid JSON"))
                .body("errors[1].line", equalTo(6))
                .body(
                        "errors[1].reason",
                        equalTo("address is not usable: street1, postalCode, city and countryCode must be non-blank"))
                .body("errors[2].line", equalTo(7))
                .body("errors[3].line", equalTo(8))
                .body("errors[4].line", equalTo(10))
                .body("errors[5].line", equalTo(11));

        // The same address spelt differently and the same identity again: idempotent, no new entry.
        given().contentType(ContentType.JSON)
                .body("[{\"namespace\":\"crmId\",\"id\":\"C1\"},"
                        + "{\"address\":{\"street1\":\"5 av. FOCH\",\"postalCode\":\"75 116\",\"city\":\"paris\","
                        + "\"countryCode\":\"fr\"}}, {\"namespace\":\"crmId\",\"id\":\"C2\"}, 7]")
                .when()
                .post("/suppression-lists/" + id + "/entries")
                .then()
                .statusCode(200)
                .body("received", equalTo(4))
                .body("accepted", equalTo(3))
                .body("rejected", equalTo(1))
                .body("errors[0].line", equalTo(4));

        given().when()
                .get("/suppression-lists/" + id)
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("name", equalTo(name))
                .body("entries", equalTo(5));
    }

    @Test
    void refusals() {
        String name = "moved " + UUID.randomUUID();
        String id = create(name, "MOVED");
        given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "reason", "MOVED"))
                .when()
                .post("/suppression-lists")
                .then()
                .statusCode(409)
                .body("field", equalTo("name"));
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "x " + UUID.randomUUID(), "reason", "BORED"))
                .when()
                .post("/suppression-lists")
                .then()
                .statusCode(400)
                .body("field", equalTo("reason"));
        given().contentType(ContentType.JSON)
                .body(Map.of("reason", "OTHER"))
                .when()
                .post("/suppression-lists")
                .then()
                .statusCode(400)
                .body("field", equalTo("name"));
        given().when()
                .get("/suppression-lists/" + UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        ndjson(UUID.randomUUID().toString(), "{\"namespace\":\"crmId\",\"id\":\"C1\"}")
                .statusCode(404);
        given().contentType(ContentType.JSON)
                .body("{\"namespace\":\"crmId\",\"id\":\"C1\"}")
                .when()
                .post("/suppression-lists/" + id + "/entries")
                .then()
                .statusCode(422)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body("[{\"namespace\":\"crmId\",\"id\":\"C1\"}, {")
                .when()
                .post("/suppression-lists/" + id + "/entries")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        // The element before the broken one was stored.
        given().when().get("/suppression-lists/" + id).then().body("entries", equalTo(1));
    }
}
