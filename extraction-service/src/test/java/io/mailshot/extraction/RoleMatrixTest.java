package io.mailshot.extraction;

import io.mailshot.fuzz.RoleMatrix;
import io.mailshot.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Every operation of this service's OpenAPI document, with no token and as each single-role demo user, answered
 * as the README's "Who may do what" table says (see {@link RoleMatrix}); an operation without a row fails.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "extraction"))
class RoleMatrixTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void everyOperationOpensToTheRolesOfTheReadmeTable() throws Exception {
        RoleMatrix.against(base, RoleMatrix.readme(Path.of("README.md"))).check(InfraTestResource::bearer);
    }
}
