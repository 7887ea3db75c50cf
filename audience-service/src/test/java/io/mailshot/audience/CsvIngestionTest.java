package io.mailshot.audience;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.mailshot.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "audience"))
class CsvIngestionTest {

    private static final String MAPPING = "{\"CRM ID\":\"identity.id\",\"Last name\":\"person.name.lastName\","
            + "\"Street\":\"homeAddress.street1\",\"Zip\":\"homeAddress.postalCode\",\"Town\":\"homeAddress.city\","
            + "\"Country\":\"homeAddress.countryCode\",\"Points\":\"attributes.loyalty.points:number\","
            + "\"Test\":\"testProfile:boolean\",\"Consent\":\"consents.marketing.postalMail.val\","
            + "\"Tag\":\"attributes.tag\"}";

    @Test
    void mappedColumnsBecomeProfilesWithPerLineErrors() {
        String tag = UUID.randomUUID().toString();
        String csv = "\uFEFFCRM ID,Last name,Street,Zip,Town,Country,Points,Test,Consent,Tag,Ignored\r\n"
                + "K1-" + tag + ",O'Neil,\"12 Main St, Flat 2\",SW1A 1AA,London,GB,120,false,y," + tag + ",x\r\n"
                + "K2-" + tag + ",\"Smith \"\"Jr\"\"\",\"multi\nline\",75001,Paris,FR,,true,," + tag + ",\r\n"
                + "\r\n"
                + "K3-" + tag + ",Roe,1 Road,Z1,Bath,GB,lots,false,y," + tag + ",\r\n"
                + ",NoId,1 Road,Z1,Bath,GB,1,false,y," + tag + ",\r\n"
                + "K5-" + tag + ",Short\r\n"
                + "K6-" + tag + ",Bad consent,1 Road,Z1,Bath,GB,1,false,maybe," + tag + ",\r\n"
                + "K7-" + tag + ",Last,1 Road,Z1,Bath,GB,7,FALSE,n," + tag + ",\"unterminated";
        given().config(Profiles.AS_WRITTEN)
                .contentType("text/csv")
                .body(csv.getBytes(StandardCharsets.UTF_8))
                .queryParam("mapping", MAPPING)
                .queryParam("namespace", "crmId")
                .when()
                .post("/profiles/csv")
                .then()
                .statusCode(200)
                .body("received", equalTo(7))
                .body("accepted", equalTo(2))
                .body("rejected", equalTo(5))
                .body("errors[0].line", equalTo(6))
                .body("errors[0].reason", equalTo("column Points must be a number"))
                .body("errors[1].line", equalTo(7))
                .body("errors[1].reason", equalTo("identity.id is required"))
                .body("errors[2].line", equalTo(8))
                .body("errors[2].reason", equalTo("record has 2 fields, the header has 11"))
                .body("errors[3].line", equalTo(9))
                .body("errors[4].line", equalTo(10))
                .body("errors[4].reason", equalTo("a quoted field is not closed before the end of the body"));

        given().when()
                .get("/profiles/crmId/K1-" + tag)
                .then()
                .statusCode(200)
                .body("identity.namespace", equalTo("crmId"))
                .body("person.name.lastName", equalTo("O'Neil"))
                .body("homeAddress.street1", equalTo("12 Main St, Flat 2"))
                .body("attributes.loyalty.points", equalTo(120))
                .body("testProfile", equalTo(false))
                .body("consents.marketing.postalMail.val", equalTo("y"));
        given().when()
                .get("/profiles/crmId/K2-" + tag)
                .then()
                .statusCode(200)
                .body("person.name.lastName", equalTo("Smith \"Jr\""))
                .body("homeAddress.street1", equalTo("multi\nline"))
                .body("attributes.loyalty", equalTo(null))
                .body("testProfile", equalTo(true));
        given().when().get("/profiles/crmId/K3-" + tag).then().statusCode(404);
    }

    @Test
    void semicolonsAndMappingRefusals() {
        String tag = UUID.randomUUID().toString();
        given().config(Profiles.AS_WRITTEN)
                .contentType("text/csv")
                .body(("ns;id;city\nloyaltyId;L1-" + tag + ";Köln\n").getBytes(StandardCharsets.UTF_8))
                .queryParam(
                        "mapping",
                        "{\"ns\":\"identity.namespace\",\"id\":\"identity.id\",\"city\":\"homeAddress.city\"}")
                .queryParam("delimiter", ";")
                .when()
                .post("/profiles/csv")
                .then()
                .statusCode(200)
                .body("accepted", equalTo(1));
        given().when()
                .get("/profiles/loyaltyId/L1-" + tag)
                .then()
                .statusCode(200)
                .body("homeAddress.city", equalTo("Köln"));

        refuse("a,b\n1,2\n", null, "crmId", 422, "mapping");
        refuse("a,b\n1,2\n", "not json", "crmId", 422, "mapping");
        refuse("a,b\n1,2\n", "{\"a\":\"identity.id\",\"b\":\"x'); drop table profile; --\"}", "crmId", 422, "mapping");
        refuse(
                "a,b\n1,2\n",
                "{\"a\":\"identity.id\",\"b\":\"attributes.x\",\"c\":\"attributes.x.y\"}",
                "crmId",
                422,
                "mapping");
        refuse("a,b\n1,2\n", "{\"a\":\"identity.id\",\"zz\":\"attributes.x\"}", "crmId", 422, "mapping");
        refuse("a,b\n1,2\n", "{\"a\":\"identity.id\"}", null, 422, "namespace");
        refuse("a,b\n1,2\n", "{\"b\":\"attributes.x\"}", "crmId", 422, "mapping");
        refuse("", "{\"a\":\"identity.id\"}", "crmId", 422, "body");
    }

    private static void refuse(String csv, String mapping, String namespace, int status, String field) {
        var request =
                given().config(Profiles.AS_WRITTEN).contentType("text/csv").body(csv.getBytes(StandardCharsets.UTF_8));
        if (mapping != null) {
            request = request.queryParam("mapping", mapping);
        }
        if (namespace != null) {
            request = request.queryParam("namespace", namespace);
        }
        request.when()
                .post("/profiles/csv")
                .then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("field", equalTo(field));
    }
}
