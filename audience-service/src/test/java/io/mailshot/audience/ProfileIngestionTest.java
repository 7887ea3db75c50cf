package io.mailshot.audience;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.mailshot.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "audience"))
class ProfileIngestionTest {

    @Test
    void goodAndMalformedLinesAreCountedAndReportedByLineNumber() {
        String tag = UUID.randomUUID().toString();
        String a = "A-" + tag;
        String b = "B-" + tag;
        String body = String.join(
                        "\n",
                        Profiles.line(a, "FR", "Lyon", "O'Brien", "y", "gold", tag, false, "2026-11-28T10:00:00Z"),
                        "",
                        "{\"identity\":{\"namespace\":\"crmId\"},\"person\":{\"name\":{\"lastName\":\"Secret\"}}}",
                        "not json with Secretvalue",
                        Profiles.line(b, "BE", "Liège", null, null, null, tag, false, null),
                        "{\"identity\":{\"namespace\":\"crmId\",\"id\":\"X1\"},\"consents\":{\"marketing\":"
                                + "{\"postalMail\":{\"val\":\"maybe\"}}}}",
                        "{\"identity\":{\"namespace\":\"1bad ns\",\"id\":\"X2\"}}",
                        "[1,2]",
                        "{\"identity\":{\"namespace\":\"crmId\",\"id\":\"X3\"},\"eventTime\":\"yesterday\"}",
                        "{\"identity\":{\"namespace\":\"crmId\",\"id\":\"X4\"},\"attributes\":{\"note\":\"a\\u0000b\"}}",
                        "{\"identity\":{\"namespace\":\"crmId\",\"id\":\"   \"}}",
                        "   ")
                + "\r\n";

        JsonPath result = Profiles.post(body).statusCode(200).extract().jsonPath();

        assertEquals(10, result.getLong("received"));
        assertEquals(2, result.getLong("accepted"));
        assertEquals(8, result.getLong("rejected"));
        assertEquals(List.of(3, 4, 6, 7, 8, 9, 10, 11), result.getList("errors.line", Integer.class));
        List<String> reasons = result.getList("errors.reason", String.class);
        assertEquals("identity.id is required", reasons.get(0));
        assertEquals("line is not valid JSON", reasons.get(1));
        assertEquals("consents.marketing.postalMail.val must be \"y\", \"n\" or empty", reasons.get(2));
        assertEquals("identity.namespace must match ^[A-Za-z][A-Za-z0-9_.-]{0,63}$", reasons.get(3));
        assertEquals("line must be a JSON object", reasons.get(4));
        assertEquals("eventTime must be an RFC 3339 timestamp such as 2026-11-28T10:00:00Z", reasons.get(5));
        assertEquals("identity.id must not be blank", reasons.get(7));
        for (String reason : reasons) {
            // Reasons never echo what the client sent.
            for (String value : List.of("Secret", "maybe", "1bad", "yesterday", "X1", "X2", "X3", "X4")) {
                assertFalse(reason.contains(value), reason);
            }
        }

        given().when()
                .get("/profiles/crmId/" + a)
                .then()
                .statusCode(200)
                .body("identity.id", equalTo(a))
                .body("person.name.firstName", equalTo("Zoë"))
                .body("person.name.lastName", equalTo("O'Brien"))
                .body("homeAddress.street1", equalTo("12 rue de l'Église"))
                .body("consents.marketing.postalMail.val", equalTo("y"))
                .body("attributes.loyalty.points", equalTo(120))
                .body("eventTime", equalTo("2026-11-28T10:00:00Z"));
        given().when().get("/profiles/crmId/" + b).then().statusCode(200).body("homeAddress.city", equalTo("Liège"));
        given().when()
                .get("/profiles/crmId/X1")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
    }

    @Test
    void lastWriteWinsByEventTime() {
        String tag = UUID.randomUUID().toString();
        String id = "W-" + tag;
        Profiles.post(Profiles.line(id, "FR", "Lyon", "Martin", "y", "gold", tag, false, "2026-11-28T10:00:00Z"))
                .statusCode(200)
                .body("accepted", equalTo(1));

        Profiles.post(Profiles.line(id, "FR", "Paris", "Martin", "y", "gold", tag, false, "2026-11-28T09:00:00Z"))
                .statusCode(200)
                .body("accepted", equalTo(1))
                .body("rejected", equalTo(0));
        given().when().get("/profiles/crmId/" + id).then().statusCode(200).body("homeAddress.city", equalTo("Lyon"));

        Profiles.post(Profiles.line(id, "FR", "Nice", "Martin", "n", "gold", tag, false, "2026-11-28T11:00:00+01:00"))
                .statusCode(200);
        // 11:00+01:00 is 10:00Z: equal times apply too (the later write wins).
        given().when().get("/profiles/crmId/" + id).then().statusCode(200).body("homeAddress.city", equalTo("Nice"));

        Profiles.post(Profiles.line(id, "FR", "Marseille", "Martin", "y", "gold", tag, false, "2026-11-29T10:00:00Z"))
                .statusCode(200);
        given().when()
                .get("/profiles/crmId/" + id)
                .then()
                .statusCode(200)
                .body("homeAddress.city", equalTo("Marseille"))
                .body("consents.marketing.postalMail.val", equalTo("y"));
    }

    @Test
    void oneIdentityUpdatedSeveralTimesInOneBodyKeepsItsLatestVersion() {
        String tag = UUID.randomUUID().toString();
        String a = "D-" + tag;
        String b = "E-" + tag;
        // Out of order in the body: the latest event time wins, and of equal times the later line.
        String body = String.join(
                "\n",
                Profiles.line(a, "FR", "Lyon", "Martin", "y", "gold", tag, false, "2026-11-28T10:00:00Z"),
                Profiles.line(b, "FR", "Brest", "Morvan", "y", "gold", tag, false, "2026-11-28T10:00:00Z"),
                Profiles.line(a, "FR", "Paris", "Martin", "y", "gold", tag, false, "2026-11-28T12:00:00Z"),
                Profiles.line(a, "FR", "Nice", "Martin", "y", "gold", tag, false, "2026-11-28T11:00:00Z"),
                Profiles.line(b, "FR", "Quimper", "Morvan", "n", "gold", tag, false, "2026-11-28T11:00:00+01:00"));
        Profiles.post(body)
                .statusCode(200)
                .body("received", equalTo(5))
                .body("accepted", equalTo(5))
                .body("rejected", equalTo(0));
        given().when()
                .get("/profiles/crmId/" + a)
                .then()
                .statusCode(200)
                .body("homeAddress.city", equalTo("Paris"))
                .body("eventTime", equalTo("2026-11-28T12:00:00Z"));
        given().when()
                .get("/profiles/crmId/" + b)
                .then()
                .statusCode(200)
                .body("homeAddress.city", equalTo("Quimper"))
                .body("consents.marketing.postalMail.val", equalTo("n"));
    }

    @Test
    void aLinePostgreSqlRefusesCostsOnlyItselfOnFirstLoadAndOnReload() {
        String tag = UUID.randomUUID().toString();
        // Valid JSON for the parser, refused by jsonb: an unpaired surrogate escape.
        String refused = "{\"identity\":{\"namespace\":\"crmId\",\"id\":\"Q-" + tag + "\"},"
                + "\"attributes\":{\"note\":\"\\ud800\"}}";
        for (String city : List.of("Lyon", "Paris")) { // the first load, then a reload of the same identities
            String body = String.join(
                    "\n",
                    Profiles.line("P-" + tag, "FR", city, "Martin", "y", "gold", tag, false, null),
                    refused,
                    Profiles.line("S-" + tag, "FR", city, "Morvan", "y", "gold", tag, false, null));
            JsonPath result = Profiles.post(body).statusCode(200).extract().jsonPath();
            assertEquals(3, result.getInt("received"));
            assertEquals(2, result.getInt("accepted"));
            assertEquals(1, result.getInt("rejected"));
            assertEquals(2, result.getInt("errors[0].line"));
            assertEquals(
                    "the profile could not be stored (a value PostgreSQL refuses)",
                    result.getString("errors[0].reason"));
            given().when()
                    .get("/profiles/crmId/P-" + tag)
                    .then()
                    .statusCode(200)
                    .body("homeAddress.city", equalTo(city));
            given().when()
                    .get("/profiles/crmId/S-" + tag)
                    .then()
                    .statusCode(200)
                    .body("homeAddress.city", equalTo(city));
            given().when().get("/profiles/crmId/Q-" + tag).then().statusCode(404);
        }
    }

    @Test
    void theStoredDocumentIsTheLineAsReceived() {
        String tag = UUID.randomUUID().toString();
        String id = "R-" + tag;
        // Digits beyond a double's precision and a big integer survive: the line is stored, not a re-encoding.
        String line = "{\"identity\":{\"namespace\":\"crmId\",\"id\":\"" + id + "\"},"
                + "\"attributes\":{\"score\":0.12345678901234567890123,\"big\":123456789012345678901234567890,"
                + "\"tag\":\"" + tag + "\",\"note\":\"tab\\tand \\\\ backslash \\u00e9\"}}";
        Profiles.post(line).statusCode(200).body("accepted", equalTo(1));
        String stored = given().when()
                .get("/profiles/crmId/" + id)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        Assertions.assertTrue(stored.contains("0.12345678901234567890123"), stored);
        Assertions.assertTrue(stored.contains("123456789012345678901234567890"), stored);
        given().when()
                .get("/profiles/crmId/" + id)
                .then()
                .statusCode(200)
                .body("attributes.note", equalTo("tab\tand \\ backslash é"));
    }

    @Test
    void aStreamedBodySpanningSeveralBatchesIsFullyIngested() {
        String tag = UUID.randomUUID().toString();
        StringBuilder first = new StringBuilder();
        for (int i = 1; i <= 1500; i++) {
            first.append(Profiles.line("S" + i + "-" + tag, "FR", "Lyon", "L" + i, "y", "gold", tag, false, null))
                    .append('\n');
        }
        first.append("{broken\n");
        // A line longer than the 1 MiB cap is refused without being kept.
        first.append("{\"identity\":{\"namespace\":\"crmId\",\"id\":\"big\"},\"attributes\":{\"blob\":\"")
                .append("x".repeat(1_200_000))
                .append("\"}}\n");
        StringBuilder second = new StringBuilder();
        for (int i = 1501; i <= 2500; i++) {
            second.append(Profiles.line("S" + i + "-" + tag, "FR", "Lyon", "L" + i, "y", "gold", tag, false, null))
                    .append('\n');
        }
        var body = new SequenceInputStream(
                new ByteArrayInputStream(first.toString().getBytes(StandardCharsets.UTF_8)),
                new ByteArrayInputStream(second.toString().getBytes(StandardCharsets.UTF_8)));

        given().config(Profiles.AS_WRITTEN)
                .contentType("text/plain")
                .body(body)
                .when()
                .post("/profiles/bulk")
                .then()
                .statusCode(200)
                .body("received", equalTo(2502))
                .body("accepted", equalTo(2500))
                .body("rejected", equalTo(2))
                .body("errors.line", equalTo(List.of(1501, 1502)))
                .body("errors.reason[1]", containsString("longer than"));

        given().when()
                .get("/profiles/crmId/S2500-" + tag)
                .then()
                .statusCode(200)
                .body("person.name.lastName", equalTo("L2500"));
    }

    @Test
    void anEmptyBodyIsFineAndOtherMediaTypesAreRefused() {
        Profiles.post("").statusCode(200).body("received", equalTo(0)).body("errors", empty());
        given().contentType("application/json")
                .body("{}")
                .when()
                .post("/profiles/bulk")
                .then()
                .statusCode(415)
                .contentType("application/problem+json");
    }

    @Test
    void errorsAreCappedButCountsStayExact() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 1200; i++) {
            body.append("{}\n");
        }
        Profiles.post(body.toString())
                .statusCode(200)
                .body("received", equalTo(1200))
                .body("rejected", equalTo(1200))
                .body("errors", hasSize(1000))
                .body("errors.reason", everyItem(equalTo("identity is required")))
                .body("errors.line", not(empty()));
    }
}
