package io.mailshot.audience;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The filter language end to end: text and JSON filters are stored, compiled and counted by the real database. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "audience"))
class FilterLanguageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private String tag;

    @BeforeEach
    void profiles() throws Exception {
        tag = UUID.randomUUID().toString();
        Instant now = Instant.now();
        List<Map<String, Object>> all = new ArrayList<>();
        all.add(profile(
                "F1",
                "FR",
                "Lyon",
                "O'Neil",
                100,
                "1990-05-01",
                now.minus(10, ChronoUnit.DAYS).toString(),
                List.of("vip", "golf"),
                null));
        all.add(profile(
                "F2",
                "FR",
                "Paris",
                "Martin",
                99,
                now.minus(3650, ChronoUnit.DAYS).toString(),
                now.minus(40, ChronoUnit.DAYS).toString(),
                List.of("golf"),
                "x' or '1'='1"));
        all.add(profile("F3", "DE", "Berlin", "Oberst", "1000", "not a date", null, null, null));
        all.add(profile("F4", "FR", "Lille", null, 9, null, null, null, null));
        all.add(profile("F5", "BE", "Namur", "Dupont", null, "1970-01-01T00:00:00Z", null, null, null));
        StringBuilder ndjson = new StringBuilder();
        for (Map<String, Object> p : all) {
            ndjson.append(JSON.writeValueAsString(p)).append('\n');
        }
        Profiles.post(ndjson.toString()).statusCode(200).body("accepted", equalTo(5));
    }

    private Map<String, Object> profile(
            String id,
            String country,
            String city,
            String lastName,
            Object points,
            String birthDate,
            String lastPurchase,
            List<String> tags,
            String note) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("identity", Map.of("namespace", "crmId", "id", id + "-" + tag));
        Map<String, Object> name = new LinkedHashMap<>();
        name.put("firstName", "Zoë");
        if (lastName != null) {
            name.put("lastName", lastName);
        }
        p.put("person", Map.of("name", name));
        p.put(
                "homeAddress",
                Map.of("street1", "1 Main St", "postalCode", "1000", "city", city, "countryCode", country));
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("tag", tag);
        if (points != null) {
            attributes.put("loyalty", Map.of("points", points));
        }
        if (birthDate != null) {
            attributes.put("birthDate", birthDate);
        }
        if (lastPurchase != null) {
            attributes.put("lastPurchase", lastPurchase);
        }
        if (tags != null) {
            attributes.put("tags", tags);
        }
        if (note != null) {
            attributes.put("note", note);
        }
        p.put("attributes", attributes);
        return p;
    }

    /** Counts this test's profiles matching {@code text}, through a stored text filter. */
    private int count(String text) {
        String id = given().contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "f " + UUID.randomUUID(),
                        "filter",
                        "attributes.tag = \"" + tag + "\" and (" + text + ")"))
                .when()
                .post("/audiences")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        return given().when()
                .get("/audiences/" + id + "/estimate")
                .then()
                .statusCode(200)
                .extract()
                .path("count");
    }

    private int countJson(Object ast) {
        Map<String, Object> filter =
                Map.of("and", List.of(Map.of("path", "attributes.tag", "op", "=", "value", tag), ast));
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("name", "j " + UUID.randomUUID(), "filter", filter))
                .when()
                .post("/audiences")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        return given().when()
                .get("/audiences/" + id + "/estimate")
                .then()
                .statusCode(200)
                .extract()
                .path("count");
    }

    @Test
    void eachOperator() {
        Assertions.assertAll(
                () -> assertCount(3, "homeAddress.countryCode = \"FR\""),
                () -> assertCount(2, "homeAddress.countryCode != \"FR\""),
                // Numbers compare numerically: "1000" (a string) and 100 pass, 9 does not (as text "9" > "100").
                () -> assertCount(2, "attributes.loyalty.points >= 100"),
                () -> assertCount(1, "attributes.loyalty.points > 100"),
                () -> assertCount(2, "attributes.loyalty.points < 100"),
                () -> assertCount(3, "attributes.loyalty.points <= 100"),
                // A missing value fails every comparison, so its negation holds.
                () -> assertCount(3, "not (attributes.loyalty.points < 100)"),
                () -> assertCount(4, "attributes.loyalty.points != 100"),
                // Text comparisons for text literals.
                () -> assertCount(2, "homeAddress.city > \"M\""),
                () -> assertCount(4, "homeAddress.countryCode in (\"FR\", \"BE\")"),
                () -> assertCount(1, "homeAddress.countryCode not in (\"FR\", \"BE\")"),
                () -> assertCount(2, "attributes.loyalty.points in (100, 1000)"),
                () -> assertCount(2, "attributes.tags contains \"golf\""),
                () -> assertCount(1, "attributes.tags contains \"vip\""),
                () -> assertCount(1, "person.name.lastName contains \"pon\""),
                () -> assertCount(1, "person.name.lastName startsWith \"O'\""),
                () -> assertCount(2, "person.name.lastName startsWith \"O\""),
                () -> assertCount(4, "not (person.name.lastName startsWith \"O'\")"),
                () -> assertCount(1, "person.name.lastName missing"),
                () -> assertCount(4, "person.name.lastName exists"),
                // Relative dates: "not a date" is simply not a match, never an error.
                () -> assertCount(2, "attributes.birthDate < now - 18y"),
                () -> assertCount(1, "attributes.birthDate >= now - 18y"),
                () -> assertCount(1, "attributes.lastPurchase >= now - 30d"),
                () -> assertCount(2, "attributes.lastPurchase < now"),
                () -> assertCount(0, "attributes.lastPurchase > now + 1w"));
    }

    private void assertCount(int expected, String text) {
        Assertions.assertEquals(expected, count(text), text);
    }

    @Test
    void nestingAndTheJsonForm() {
        assertCount(
                2,
                "(homeAddress.countryCode = \"FR\" and attributes.loyalty.points >= 100)"
                        + " or (homeAddress.countryCode = \"DE\" and not (person.name.lastName startsWith \"O\"))"
                        + " or homeAddress.countryCode = \"BE\"");
        assertCount(
                3,
                "homeAddress.countryCode = \"FR\" and (attributes.loyalty.points < 100 or"
                        + " attributes.tags contains \"vip\")");
        Assertions.assertEquals(
                2,
                countJson(Map.of(
                        "or",
                        List.of(
                                Map.of(
                                        "and",
                                        List.of(
                                                Map.of("path", "homeAddress.countryCode", "op", "eq", "value", "FR"),
                                                Map.of("path", "attributes.loyalty.points", "op", ">=", "value", 100))),
                                Map.of("path", "attributes.birthDate", "op", "<", "value", Map.of("now", "-50y"))))));
        Assertions.assertEquals(
                1, countJson(Map.of("path", "attributes.loyalty.points", "op", "in", "values", List.of(100.0))));
        Assertions.assertEquals(4, countJson(Map.of("not", Map.of("path", "person.name.lastName", "op", "missing"))));
    }

    @Test
    void aTextFilterIsStoredAsSubmittedWithItsCanonicalForms() {
        String text = "homeAddress.countryCode = 'FR'  AND not (person.name.lastName startsWith \"O'\")";
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("name", "text " + tag, "filter", text))
                .when()
                .post("/audiences")
                .then()
                .statusCode(201)
                .body("filter", equalTo(text))
                .body(
                        "filterText",
                        equalTo("homeAddress.countryCode = \"FR\" and not (person.name.lastName"
                                + " startsWith \"O'\")"))
                .body("filterAst.and[0].path", equalTo("homeAddress.countryCode"))
                .body("filterAst.and[1].not.op", equalTo("startsWith"))
                .extract()
                .path("id");
        given().when()
                .get("/audiences/" + id)
                .then()
                .statusCode(200)
                .body("filter", equalTo(text))
                .body("filterAst.and[0].value", equalTo("FR"));
    }

    @Test
    void injectionIsRefusedInPathsAndLiteralInValues() {
        // Values: a literal, whatever it contains. F2's note holds the attack text itself.
        assertCount(0, "homeAddress.city = \"x' or '1'='1\"");
        assertCount(1, "attributes.note = \"x' or '1'='1\"");
        assertCount(0, "homeAddress.city = \"'); drop table profile; --\"");
        assertCount(0, "homeAddress.city in (\"x' or 1=1 --\", \"\\\"; delete from profile; --\")");
        assertCount(0, "homeAddress.city startsWith \"%\"");
        assertCount(0, "homeAddress.city contains \"_\"");
        // Paths: refused, with the position, in the text and the JSON forms.
        refuse("homeAddress.city\" = '' or 1=1 --", 400, "filter", "syntax").body("detail", startsWith("position 17:"));
        refuse("homeAddress.city; drop table profile = 1", 400, "filter", "syntax")
                .body("detail", containsString("position 17"));
        refuse("a') or true -- exists", 400, "filter", "syntax").body("detail", startsWith("position 2:"));
        refuse("homeAddress..city = 1", 400, "filter", "Pattern");
        refuse(Map.of("path", "a') or true --", "op", "exists"), 400, "filter.path", "Pattern");
        refuse(
                Map.of(
                        "and",
                        List.of(
                                Map.of("path", "x", "op", "exists"),
                                Map.of("path", "doc #>> '{}'", "op", "=", "value", 1))),
                400,
                "filter.and[1].path",
                "Pattern");
        refuse(Map.of("path", "x", "op", "= 1 or 1", "value", 1), 400, "filter.op", "enum");
        // Everything is still there.
        assertCount(5, "attributes.tag exists");
    }

    @Test
    void syntaxErrorsAndLimitsAreProblems() {
        refuse("homeAddress.countryCode = ", 400, "filter", "syntax").body("detail", startsWith("position 27:"));
        refuse("(a = 1", 400, "filter", "syntax").body("detail", startsWith("position 7:"));
        refuse("a = 1 and", 400, "filter", "syntax").body("detail", startsWith("position 10:"));
        refuse("a < now - 3x", 400, "filter", "syntax").body("detail", containsString("unknown duration unit"));
        refuse("   ", 422, "filter", "required");
        refuse("a in (now)", 422, "filter", "type");
        StringBuilder many = new StringBuilder("a0 = 1");
        for (int i = 1; i <= 50; i++) {
            many.append(" and a").append(i).append(" = 1");
        }
        refuse(many.toString(), 422, "filter", "max-conditions");
        refuse("(".repeat(17) + "a = 1" + ")".repeat(17), 422, "filter", "max-depth");
        refuse("a = \"" + "x".repeat(10_001) + "\"", 422, "filter", "max-length");
        refuse(42, 400, "filter", "type");
    }

    private static ValidatableResponse refuse(Object filter, int status, String field, String rule) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("name", "bad " + UUID.randomUUID(), "filter", filter))
                .when()
                .post("/audiences")
                .then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("field", equalTo(field))
                .body("rule", equalTo(rule));
    }
}
