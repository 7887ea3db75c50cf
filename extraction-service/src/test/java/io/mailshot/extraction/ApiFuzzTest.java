package io.mailshot.extraction;

import io.mailshot.fuzz.ApiFuzz;
import io.mailshot.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * Every POST, PUT and PATCH body and every path and query parameter of this service's own OpenAPI document,
 * broken in every way the schema allows (see {@link io.mailshot.fuzz.RequestFuzzer}): never a 5xx, every 4xx a
 * problem+json with the HTTP status and a detail, naming the field or parameter that is wrong. Path parameters
 * are random ids, so nothing a case sends can change what other tests see.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "extraction"))
class ApiFuzzTest {

    /** Fixed: the same cases every run, so a failure can be replayed. */
    private static final long SEED = 17;

    @TestHTTPResource("/")
    URI base;

    @Test
    void malformedBodiesAreRefusedWithProblemsNamingTheField() throws Exception {
        ApiFuzz fuzz = ApiFuzz.against(base, SEED).signedIn(InfraTestResource.bearer("admin"));
        fuzz.checkBodies(300);
    }

    @Test
    void malformedParametersAreRefusedWithProblemsNamingThem() throws Exception {
        ApiFuzz fuzz = ApiFuzz.against(base, SEED).signedIn(InfraTestResource.bearer("admin"));
        fuzz.checkParameters();
    }
}
