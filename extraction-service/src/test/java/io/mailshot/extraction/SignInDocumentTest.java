package io.mailshot.extraction;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.mailshot.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document, open to anyone, says how to sign in: the provider the service trusts (the one this test runs
 * against, known only at start-up) as an OpenID Connect scheme that every business operation requires; Swagger UI's
 * "Authorize" button reads it.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "extraction"))
class SignInDocumentTest {

    @Test
    void theDocumentNamesTheProviderAndEveryOperationNeedsIt() {
        String discovery = InfraTestResource.keycloak().issuer() + "/.well-known/openid-configuration";
        given().header("Authorization", "")
                .accept("application/json")
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body("components.securitySchemes.mailshot-sign-in.type", equalTo("openIdConnect"))
                .body("components.securitySchemes.mailshot-sign-in.openIdConnectUrl", equalTo(discovery))
                .body("paths.'/previews'.post.security.flatten()", hasItem(Map.of("mailshot-sign-in", List.of())));
        // Swagger UI is served without a token; it signs in with its own public client.
        given().header("Authorization", "").get("/q/swagger-ui/").then().statusCode(200);
    }
}
