package io.mailshot.campaign;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailshot.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A file format that cannot produce a readable file is refused when the configuration or the campaign is saved
 * (422 problem+json naming the field and the rule), never discovered when a run fails: structural characters the
 * encoding cannot write, and structural characters that collide.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "campaign"))
@QuarkusTestResource(PeerServicesStub.class)
class FileFormatRefusalTest {

    private static final String PROBLEM = "application/problem+json";

    @Inject
    DataSource dataSource;

    private static String configurationBody(String name, String format) {
        return "{\"name\":\"" + name + "\",\"routingId\":\"" + PeerServicesStub.ACTIVE_ROUTING + "\",\"format\":"
                + format + "}";
    }

    private static String configuration(String format) {
        return given().contentType(ContentType.JSON)
                .body(configurationBody("fmt-" + UUID.randomUUID(), format))
                .post("/direct-mail-configurations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** A campaign body with the given file extras (format, notes) and columns. */
    private static String campaignBody(String name, String configuration, String fileExtras, String columns) {
        return """
                {"name": "%s", "type": "SCHEDULED", "audienceId": "%s", "identityNamespace": "crmId",
                 "configurationId": "%s",
                 "file": {"nameTemplate": "{campaign.name}-{run.id}.txt", %s
                          "columns": [%s]}}
                """.formatted(name, PeerServicesStub.AUDIENCE, configuration, fileExtras, columns);
    }

    private static final String COLUMNS = """
            {"label": "Name", "path": "person.name.lastName"}, {"label": "Postal code", "path": "homeAddress.postalCode"}""";

    @Test
    void aConfigurationWhoseDelimiterTheEncodingCannotWriteIsRefusedAndNotStored() {
        String name = "euro-" + UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body(configurationBody(
                        name, "{\"type\":\"DELIMITED\",\"delimiter\":\"€\",\"encoding\":\"ISO_8859_1\"}"))
                .post("/direct-mail-configurations")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo("format.delimiter"))
                .body("rule", equalTo("encodable"))
                .body(
                        "detail",
                        equalTo("the delimiter '€' (U+20AC) cannot be written in ISO_8859_1: every line would"
                                + " hold a replacement instead"));
        given().get("/direct-mail-configurations?size=200")
                .then()
                .statusCode(200)
                .body("items.name", not(hasItem(name)));
        // The same delimiter in an encoding that has it is fine.
        configuration("{\"type\":\"DELIMITED\",\"delimiter\":\"€\",\"encoding\":\"WINDOWS_1252\"}");
    }

    @Test
    void aConfigurationWhoseStructuralCharactersCollideIsRefused() {
        given().contentType(ContentType.JSON)
                .body(configurationBody(
                        "q-" + UUID.randomUUID(), "{\"type\":\"DELIMITED\",\"delimiter\":\"|\"," + "\"quote\":\"|\"}"))
                .post("/direct-mail-configurations")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo("format.delimiter"))
                .body("rule", equalTo("distinct"))
                .body("detail", containsString("quote"));
        given().contentType(ContentType.JSON)
                .body(configurationBody("lf-" + UUID.randomUUID(), "{\"type\":\"DELIMITED\",\"delimiter\":\"\\n\"}"))
                .post("/direct-mail-configurations")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo("format.delimiter"))
                .body("rule", equalTo("distinct"))
                .body("detail", containsString("line break"));
        given().contentType(ContentType.JSON)
                .body(configurationBody("csv-" + UUID.randomUUID(), "{\"type\":\"CSV\",\"delimiter\":\";\"}"))
                .post("/direct-mail-configurations")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo("format.delimiter"))
                .body("rule", equalTo("csv"));
        // An update is held to the same rule.
        String id = configuration("{\"type\":\"DELIMITED\",\"delimiter\":\";\"}");
        given().contentType(ContentType.JSON)
                .body(configurationBody(
                        "upd-" + UUID.randomUUID(),
                        "{\"type\":\"DELIMITED\",\"delimiter\":\";\"," + "\"quote\":\";\"}"))
                .put("/direct-mail-configurations/{id}", id)
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo("format.delimiter"))
                .body("rule", equalTo("distinct"));
    }

    @Test
    void aCampaignIsCheckedWithItsConfigurationsDefaultsAndNamesItsOwnField() {
        String latin1 = configuration("{\"type\":\"DELIMITED\",\"delimiter\":\";\",\"encoding\":\"ISO_8859_1\"}");
        // Its own delimiter override.
        given().contentType(ContentType.JSON)
                .body(campaignBody("Euro " + UUID.randomUUID(), latin1, "\"format\": {\"delimiter\": \"€\"},", COLUMNS))
                .post("/campaigns")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo("file.format.delimiter"))
                .body("rule", equalTo("encodable"));
        // A note the configuration's encoding cannot write.
        given().contentType(ContentType.JSON)
                .body(campaignBody(
                        "Note " + UUID.randomUUID(), latin1, "\"headerNotes\": [\"ok\", \"Łódź mailing\"],", COLUMNS))
                .post("/campaigns")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo("file.headerNotes[1]"))
                .body("rule", equalTo("encodable"))
                .body("detail", containsString("U+0141"));
        // A header label likewise.
        given().contentType(ContentType.JSON)
                .body(campaignBody(
                        "Label " + UUID.randomUUID(),
                        latin1,
                        "",
                        "{\"label\": \"Prix €\", \"path\": \"homeAddress.postalCode\"}"))
                .post("/campaigns")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo("file.columns[0].label"))
                .body("rule", equalTo("encodable"));
        // A fixed-width pad.
        given().contentType(ContentType.JSON)
                .body(campaignBody(
                        "Pad " + UUID.randomUUID(),
                        latin1,
                        "\"format\": {\"type\": \"FIXED_WIDTH\"},",
                        "{\"label\": \"Zip\", \"path\": \"homeAddress.postalCode\", \"width\": 5, \"pad\": \"€\"}"))
                .post("/campaigns")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo("file.columns[0].pad"))
                .body("rule", equalTo("encodable"));
        // A quote that is the configuration's delimiter.
        given().contentType(ContentType.JSON)
                .body(campaignBody("Quote " + UUID.randomUUID(), latin1, "\"format\": {\"quote\": \";\"},", COLUMNS))
                .post("/campaigns")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo("file.format.quote"))
                .body("rule", equalTo("distinct"));

        // An encoding override that the configuration's delimiter does not survive names the override.
        String euro1252 = configuration("{\"type\":\"DELIMITED\",\"delimiter\":\"€\",\"encoding\":\"WINDOWS_1252\"}");
        given().contentType(ContentType.JSON)
                .body(campaignBody(
                        "Enc " + UUID.randomUUID(), euro1252, "\"format\": {\"encoding\": \"ISO_8859_1\"},", COLUMNS))
                .post("/campaigns")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo("file.format.encoding"))
                .body("rule", equalTo("encodable"))
                .body("detail", containsString("delimiter"));

        // And a campaign that can be written is saved.
        given().contentType(ContentType.JSON)
                .body(campaignBody("Fine " + UUID.randomUUID(), latin1, "\"headerNotes\": [\"Köln\"],", COLUMNS))
                .post("/campaigns")
                .then()
                .statusCode(201);
    }

    @Test
    void newDefaultsThatACampaignCouldNotBeWrittenWithAreRefused() {
        String id = configuration("{\"type\":\"DELIMITED\",\"delimiter\":\";\",\"encoding\":\"WINDOWS_1252\"}");
        String name = "Offer " + UUID.randomUUID();
        String campaign = given().contentType(ContentType.JSON)
                .body(campaignBody(name, id, "\"headerNotes\": [\"Offer: 5 €\"],", COLUMNS))
                .post("/campaigns")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        // ISO-8859-1 alone is a fine format, but not for this campaign's note.
        given().contentType(ContentType.JSON)
                .body(configurationBody(
                        "moved-" + UUID.randomUUID(),
                        "{\"type\":\"DELIMITED\",\"delimiter\":\";\"," + "\"encoding\":\"ISO_8859_1\"}"))
                .put("/direct-mail-configurations/{id}", id)
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo("format.encoding"))
                .body("rule", equalTo("encodable"))
                .body("detail", containsString(campaign))
                .body("detail", containsString("format.headerNotes[0]"));
        given().get("/direct-mail-configurations/{id}", id)
                .then()
                .statusCode(200)
                .body("format.encoding", equalTo("WINDOWS_1252"));
        // Once the campaign is archived, it no longer holds the configuration back.
        given().delete("/campaigns/{id}", campaign).then().statusCode(200);
        given().contentType(ContentType.JSON)
                .body(configurationBody(
                        "moved-" + UUID.randomUUID(),
                        "{\"type\":\"DELIMITED\",\"delimiter\":\";\"," + "\"encoding\":\"ISO_8859_1\"}"))
                .put("/direct-mail-configurations/{id}", id)
                .then()
                .statusCode(200)
                .body("format.encoding", equalTo("ISO_8859_1"));
    }

    @Test
    void aFormatStoredBeforeTheRuleIsAValidationErrorAndBlocksActivation() throws Exception {
        String id = configuration("{\"type\":\"DELIMITED\",\"delimiter\":\";\",\"encoding\":\"WINDOWS_1252\"}");
        String campaign = given().contentType(ContentType.JSON)
                .body(campaignBody("Legacy " + UUID.randomUUID(), id, "\"headerNotes\": [\"Offer: 5 €\"],", COLUMNS))
                .post("/campaigns")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        // As a configuration saved before the rule existed could be: written behind the API's back.
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("update direct_mail_configuration set format = ? where id = ?::uuid")) {
            ps.setString(1, "{\"type\":\"DELIMITED\",\"delimiter\":\";\",\"encoding\":\"ISO_8859_1\"}");
            ps.setString(2, id);
            assertEquals(1, ps.executeUpdate());
        }
        given().post("/campaigns/{id}/validate", campaign)
                .then()
                .statusCode(200)
                .body("valid", equalTo(false))
                .body("errors.code", hasItem("file-format"))
                .body("errors.field", hasItem("file.headerNotes[0]"));
        given().post("/campaigns/{id}/activate", campaign)
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("errors.rule", hasItem("file-format"));
        given().get("/campaigns/{id}/runs", campaign).then().statusCode(200).body("total", equalTo(0));
    }
}
