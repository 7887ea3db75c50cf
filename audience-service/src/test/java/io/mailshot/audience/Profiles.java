package io.mailshot.audience;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;

/** Builds NDJSON profile lines and posts them, as a client of the bulk API would. */
final class Profiles {

    /**
     * Sends the Content-Type as written: REST Assured otherwise adds {@code charset=ISO-8859-1} to a text type
     * without one, and the service reads a body in the charset it declares.
     */
    static final RestAssuredConfig AS_WRITTEN = RestAssured.config()
            .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false));

    private Profiles() {}

    static String line(
            String id,
            String country,
            String city,
            String lastName,
            String consent,
            String tier,
            String tag,
            boolean test,
            String eventTime) {
        StringBuilder b = new StringBuilder();
        b.append("{\"identity\":{\"namespace\":\"crmId\",\"id\":\"").append(id).append("\"},");
        b.append("\"identities\":{\"email\":\"").append(id.toLowerCase()).append("@example.com\"},");
        b.append("\"person\":{\"name\":{\"firstName\":\"Zoë\"");
        if (lastName != null) {
            b.append(",\"lastName\":\"").append(lastName).append("\"");
        }
        b.append(",\"title\":\"Ms\"}},");
        b.append("\"homeAddress\":{\"street1\":\"12 rue de l'Église\",\"street2\":null,\"postalCode\":\"01234\",")
                .append("\"city\":\"")
                .append(city)
                .append("\",\"stateProvince\":\"ARA\",\"countryCode\":\"")
                .append(country)
                .append("\"},");
        if (consent != null) {
            b.append("\"consents\":{\"marketing\":{\"postalMail\":{\"val\":\"")
                    .append(consent)
                    .append("\"}}},");
        }
        b.append("\"attributes\":{\"tag\":\"").append(tag).append("\",\"loyalty\":{");
        if (tier != null) {
            b.append("\"tier\":\"").append(tier).append("\",");
        }
        b.append("\"points\":120}},");
        if (eventTime != null) {
            b.append("\"eventTime\":\"").append(eventTime).append("\",");
        }
        b.append("\"testProfile\":").append(test).append('}');
        return b.toString();
    }

    static ValidatableResponse post(String ndjson) {
        return given().config(AS_WRITTEN)
                .contentType("application/x-ndjson")
                .body(ndjson.getBytes(StandardCharsets.UTF_8))
                .when()
                .post("/profiles/bulk")
                .then();
    }
}
