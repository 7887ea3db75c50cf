package io.mailshot.audience;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mailshot.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Bodies are read in the charset they declare (UTF-8 when none) and never altered: a byte sequence the charset
 * does not allow refuses its line with the line, column (and CSV field), a byte-order mark counts only at the start
 * of the body, and an unknown charset refuses the request. What is stored is read back through the API.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "audience"))
class IngestionCharsetTest {

    private static final String MAPPING =
            "{\"id\":\"identity.id\",\"Last name\":\"person.name.lastName\"," + "\"City\":\"homeAddress.city\"}";
    private static final String PROBLEM = "application/problem+json";

    private static ValidatableResponse csv(String contentType, byte[] body) {
        return given().config(Profiles.AS_WRITTEN)
                .contentType(contentType)
                .body(body)
                .queryParam("mapping", MAPPING)
                .queryParam("namespace", "crmId")
                .when()
                .post("/profiles/csv")
                .then();
    }

    private static ValidatableResponse ndjson(String contentType, byte[] body) {
        return given().config(Profiles.AS_WRITTEN)
                .contentType(contentType)
                .body(body)
                .when()
                .post("/profiles/bulk")
                .then();
    }

    private static String line(String id, String lastName) {
        return "{\"identity\":{\"namespace\":\"crmId\",\"id\":\"" + id + "\"},\"person\":{\"name\":{\"lastName\":\""
                + lastName + "\"}}}";
    }

    private static void absent(String id) {
        given().when().get("/profiles/crmId/{id}", id).then().statusCode(404);
    }

    private static void storedWithLastName(String id, String lastName) {
        given().when()
                .get("/profiles/crmId/{id}", id)
                .then()
                .statusCode(200)
                .body("identity.id", equalTo(id))
                .body("person.name.lastName", equalTo(lastName));
    }

    /** Text parts as UTF-8 and hex parts as raw bytes, alternating, text first. */
    private static byte[] bytes(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < parts.length; i++) {
            out.writeBytes(
                    i % 2 == 0
                            ? parts[i].getBytes(StandardCharsets.UTF_8)
                            : HexFormat.of().parseHex(parts[i]));
        }
        return out.toByteArray();
    }

    @Test
    void aLatin1ByteInAUtf8CsvRefusesItsRecordNamingLineColumnAndField() {
        String tag = UUID.randomUUID().toString();
        // "Müller" written in Latin-1 (0xFC), in a body that declares nothing: UTF-8.
        byte[] body = bytes(
                "id,Last name,City\nA1-" + tag + ",Martin,Lyon\nA2-" + tag + ",M",
                "fc",
                "ller,Paris\nA3-" + tag + ",Dupont,Nice\n");
        JsonPath result = csv("text/csv", body).statusCode(200).extract().jsonPath();
        assertEquals(3, result.getInt("received"));
        assertEquals(2, result.getInt("accepted"));
        assertEquals(1, result.getInt("rejected"));
        assertEquals(3, result.getInt("errors[0].line"));
        int column = ("A2-" + tag + ",M").length() + 1;
        assertEquals(column, result.getInt("errors[0].column"));
        assertEquals("Last name", result.getString("errors[0].field"));
        assertEquals(
                "line 3, column " + column + " (Last name): bytes that are not valid UTF-8; a body in another"
                        + " charset must declare it in Content-Type, e.g. charset=windows-1252",
                result.getString("errors[0].reason"));
        storedWithLastName("A1-" + tag, "Martin");
        absent("A2-" + tag); // never stored with U+FFFD
        storedWithLastName("A3-" + tag, "Dupont");
        // Lines refused for other reasons keep their shape: no column, no field.
        csv("text/csv", bytes("id,Last name,City\n,NoId,Lyon\n"))
                .statusCode(200)
                .body("errors[0].line", equalTo(2))
                .body("errors[0].column", equalTo(null))
                .body("errors[0].field", equalTo(null));
    }

    @Test
    void aLatin1ByteInAUtf8NdjsonLineRefusesThatLine() {
        String tag = UUID.randomUUID().toString();
        String before = "{\"identity\":{\"namespace\":\"crmId\",\"id\":\"N2-" + tag + "\"},\"person\":{\"name\":"
                + "{\"lastName\":\"M";
        byte[] body = bytes(line("N1-" + tag, "Zoë") + "\n" + before, "fc", "ller\"}}}\n" + line("N3-" + tag, "Ok"));
        JsonPath result =
                ndjson("application/x-ndjson", body).statusCode(200).extract().jsonPath();
        assertEquals(3, result.getInt("received"));
        assertEquals(2, result.getInt("accepted"));
        assertEquals(List.of(2), result.getList("errors.line", Integer.class));
        assertEquals(before.length() + 1, result.getInt("errors[0].column"));
        assertNull(result.get("errors[0].field"));
        storedWithLastName("N1-" + tag, "Zoë");
        absent("N2-" + tag);
        storedWithLastName("N3-" + tag, "Ok");
    }

    @Test
    void overlongSurrogateAndTruncatedSequencesAreRefusedWhereTheyStart() {
        String tag = UUID.randomUUID().toString();
        String overlong = "{\"identity\":{\"namespace\":\"crmId\",\"id\":\"O1-" + tag + "\"},\"attributes\":{\"a\":\"x";
        String surrogate = "{\"identity\":{\"namespace\":\"crmId\",\"id\":\"O2-" + tag + "\"},\"attributes\":{\"a\":\"";
        String truncated = "{\"identity\":{\"namespace\":\"crmId\",\"id\":\"O3-" + tag + "\"},\"attributes\":{\"é\":\"";
        byte[] body = bytes(
                overlong,
                "c0af",
                "\"}}\n" + surrogate,
                "eda080",
                "\"}}\n" + truncated,
                "e282",
                "\"}}\n" + line("O4-" + tag, "€uro"));
        JsonPath result =
                ndjson("application/x-ndjson", body).statusCode(200).extract().jsonPath();
        assertEquals(4, result.getInt("received"));
        assertEquals(1, result.getInt("accepted"));
        assertEquals(List.of(1, 2, 3), result.getList("errors.line", Integer.class));
        assertEquals(
                List.of(overlong.length() + 1, surrogate.length() + 1, truncated.length() + 1),
                result.getList("errors.column", Integer.class)); // é is one character, one column
        absent("O1-" + tag);
        absent("O2-" + tag);
        absent("O3-" + tag);
        storedWithLastName("O4-" + tag, "€uro");

        // A CSV body that ends in the middle of a character.
        csv("text/csv", bytes("id,Last name,City\nT1-" + tag + ",Ab", "e282"))
                .statusCode(200)
                .body("rejected", equalTo(1))
                .body("errors[0].line", equalTo(2))
                .body("errors[0].column", equalTo(("T1-" + tag + ",Ab").length() + 1))
                .body("errors[0].field", equalTo("Last name"));
        absent("T1-" + tag);
    }

    @Test
    void aByteOrderMarkIsAcceptedAtTheStartOfTheBodyOnly() {
        String tag = UUID.randomUUID().toString();
        csv(
                        "text/csv",
                        bytes("\uFEFFid,Last name,City\nB1-" + tag + ",Martin,Lyon\nB2-" + tag + ",Roe,Nice\n"
                                + "\uFEFFB3-" + tag + ",Joined,Paris\nB4-" + tag + ",After,Brest\n"))
                .statusCode(200)
                .body("received", equalTo(4))
                .body("accepted", equalTo(3))
                .body("rejected", equalTo(1))
                .body("errors[0].line", equalTo(4))
                .body("errors[0].column", equalTo(1))
                .body(
                        "errors[0].reason",
                        equalTo("line 4, column 1: a byte-order mark (U+FEFF) is only allowed at"
                                + " the start of the body"));
        storedWithLastName("B1-" + tag, "Martin"); // the mark did not become part of the header
        storedWithLastName("B4-" + tag, "After");
        absent("\uFEFFB3-" + tag);
        absent("B3-" + tag);

        ndjson(
                        "application/x-ndjson",
                        bytes("\uFEFF" + line("B5-" + tag, "First") + "\n\uFEFF" + line("B6-" + tag, "Second") + "\n"))
                .statusCode(200)
                .body("accepted", equalTo(1))
                .body("errors[0].line", equalTo(2))
                .body("errors[0].column", equalTo(1));
        storedWithLastName("B5-" + tag, "First");
        String stored = given().when()
                .get("/profiles/crmId/{id}", "B5-" + tag)
                .then()
                .extract()
                .asString();
        assertEquals('{', stored.charAt(0)); // the mark is not stored with the document
        absent("B6-" + tag);
    }

    @Test
    void aDeclaredCharsetIsDecodedAndStoredExactly() {
        String tag = UUID.randomUUID().toString();
        Charset latin1 = StandardCharsets.ISO_8859_1;
        csv(
                        "text/csv; charset=ISO-8859-1",
                        ("id,Last name,City\nL1-" + tag + ",Müller,Île-de-France\n" + "L2-" + tag
                                        + ",Ærøskøbing,Zürich\n")
                                .getBytes(latin1))
                .statusCode(200)
                .body("accepted", equalTo(2))
                .body("rejected", equalTo(0));
        storedWithLastName("L1-" + tag, "Müller");
        given().when()
                .get("/profiles/crmId/{id}", "L1-" + tag)
                .then()
                .body("homeAddress.city", equalTo("Île-de-France"));
        storedWithLastName("L2-" + tag, "Ærøskøbing");

        // NDJSON in windows-1252 (quoted charset, any case): € and Œ are single bytes there.
        Charset cp1252 = Charset.forName("windows-1252");
        ndjson(
                        "application/x-ndjson; charset=\"Windows-1252\"",
                        (line("W1-" + tag, "€uro Œuvre") + "\n").getBytes(cp1252))
                .statusCode(200)
                .body("accepted", equalTo(1));
        storedWithLastName("W1-" + tag, "€uro Œuvre");

        // 0x81 has no character in windows-1252: refused there, with its column, like a bad UTF-8 byte.
        byte[] hole = bytes("id,Last name,City\nW2-" + tag + ",", "81", ",Lyon\nW3-" + tag + ",Dupr", "e9", ",Nice\n");
        csv("text/csv; charset=windows-1252", hole)
                .statusCode(200)
                .body("accepted", equalTo(1))
                .body("errors[0].line", equalTo(2))
                .body("errors[0].column", equalTo(("W2-" + tag + ",").length() + 1))
                .body("errors[0].field", equalTo("Last name"))
                .body("errors[0].reason", containsString("bytes that are not valid windows-1252"));
        absent("W2-" + tag);
        storedWithLastName("W3-" + tag, "Dupré");

        // UTF-16 (Excel's "Unicode text"), its byte-order mark telling the byte order.
        csv(
                        "text/csv; charset=UTF-16",
                        ("id,Last name,City\nU1-" + tag + ",Łódź,Kraków\n").getBytes(StandardCharsets.UTF_16))
                .statusCode(200)
                .body("accepted", equalTo(1));
        storedWithLastName("U1-" + tag, "Łódź");
    }

    @Test
    void anUnknownCharsetOrOneTheBodyContradictsRefusesTheWholeRequest() {
        String tag = UUID.randomUUID().toString();
        byte[] csvBody = ("id,Last name,City\nX1-" + tag + ",Martin,Lyon\n").getBytes(StandardCharsets.UTF_8);
        for (String charset : List.of("x-klingon", "@@")) {
            csv("text/csv; charset=" + charset, csvBody)
                    .statusCode(415)
                    .contentType(PROBLEM)
                    .body("status", equalTo(415))
                    .body("field", equalTo("Content-Type"))
                    .body("rule", equalTo("charset"))
                    .body("detail", containsString("is not supported"));
        }
        ndjson(
                        "application/x-ndjson; charset=x-klingon",
                        (line("X2-" + tag, "Roe") + "\n").getBytes(StandardCharsets.UTF_8))
                .statusCode(415)
                .contentType(PROBLEM)
                .body("field", equalTo("Content-Type"));
        absent("X1-" + tag);
        absent("X2-" + tag);

        // A UTF-8 byte-order mark in a body declared ISO-8859-1 would be stored as "ï»¿": nothing is stored.
        csv("text/csv; charset=ISO-8859-1", bytes("\uFEFFid,Last name,City\nX3-" + tag + ",Martin,Lyon\n"))
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo("body"))
                .body("rule", equalTo("charset"))
                .body("detail", containsString("UTF-8 byte-order mark"));
        absent("X3-" + tag);
        // A UTF-16 body sent without its charset.
        ndjson("application/x-ndjson", (line("X4-" + tag, "Roe") + "\n").getBytes(StandardCharsets.UTF_16))
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo("body"))
                .body("detail", containsString("declare charset=UTF-16"));
        absent("X4-" + tag);

        // A bad byte in the CSV header: no record can be mapped, so the request is refused.
        csv("text/csv", bytes("id,Last n", "e9", "me,City\nX5-" + tag + ",Martin,Lyon\n"))
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo("body"))
                .body("rule", equalTo("charset"))
                .body("detail", containsString("line 1, column 10: bytes that are not valid UTF-8"));
        absent("X5-" + tag);

        // A delimiter the declared charset cannot write could never split a record.
        given().config(Profiles.AS_WRITTEN)
                .contentType("text/csv; charset=ISO-8859-1")
                .body(csvBody)
                .queryParam("mapping", MAPPING)
                .queryParam("namespace", "crmId")
                .queryParam("delimiter", "€")
                .when()
                .post("/profiles/csv")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo("delimiter"))
                .body("rule", equalTo("charset"));
    }

    @Test
    void suppressionEntriesFollowTheSameRules() {
        String list = given().contentType("application/json")
                .body("{\"name\":\"charset " + UUID.randomUUID() + "\",\"reason\":\"OTHER\"}")
                .when()
                .post("/suppression-lists")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String before = "{\"namespace\":\"crmId\",\"id\":\"M";
        byte[] body = bytes(
                "{\"namespace\":\"crmId\",\"id\":\"ok\"}\n" + before,
                "fc",
                "ller\"}\n\uFEFF{\"namespace\":\"crmId\",\"id\":\"joined\"}\n");
        given().config(Profiles.AS_WRITTEN)
                .contentType("application/x-ndjson")
                .body(body)
                .when()
                .post("/suppression-lists/{id}/entries", list)
                .then()
                .statusCode(200)
                .body("accepted", equalTo(1))
                .body("rejected", equalTo(2))
                .body("errors.line", equalTo(List.of(2, 3)))
                .body("errors.column", equalTo(List.of(before.length() + 1, 1)));
        given().when().get("/suppression-lists/{id}", list).then().body("entries", equalTo(1));
    }
}
