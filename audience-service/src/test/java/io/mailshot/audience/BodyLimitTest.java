package io.mailshot.audience;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailshot.fuzz.RawHttp;
import io.mailshot.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Body limits sized per endpoint, with small limits so the test stays small: every endpoint takes 64 KiB, the
 * streamed bulk endpoints 4 MiB. Over a limit is a 413 problem naming it, from the declared length before
 * anything is read, or as soon as a body sent without a length passes it.
 */
@QuarkusTest
@TestProfile(BodyLimitTest.SmallLimits.class)
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "audience"))
class BodyLimitTest {

    /** The limits are checked for a caller allowed to send the request. */
    private static String admin() {
        return InfraTestResource.bearer("admin");
    }

    /** The same service with limits a test can pass cheaply. */
    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mailshot.http.max-body-size", "64K", "mailshot.http.bulk.max-body-size", "4M");
        }
    }

    private static final String PROBLEM = "application/problem+json";

    @TestHTTPResource("/")
    URI base;

    @Test
    void aDeclaredLengthOverTheEndpointsLimitIsRefusedFromTheHeaders() throws Exception {
        problem(RawHttp.declared(base, "POST", "/audiences", "application/json", 64 * 1024 + 1, admin()), "64 KiB");
        problem(RawHttp.declared(base, "POST", "/suppression-lists", "application/json", 10L << 20, admin()), "64 KiB");
        problem(
                RawHttp.declared(base, "POST", "/profiles/bulk", "application/x-ndjson", (4L << 20) + 1, admin()),
                "4 MiB");
        problem(
                RawHttp.declared(base, "POST", "/profiles/csv?namespace=crmId", "text/csv", 3L << 30, admin()),
                "4 MiB");
        problem(
                RawHttp.declared(
                        base,
                        "POST",
                        "/suppression-lists/" + UUID.randomUUID() + "/entries",
                        "application/x-ndjson",
                        5L << 20,
                        admin()),
                "4 MiB");
    }

    @Test
    void bulkIngestionTakesBodiesFarOverTheSmallLimit() {
        String tag = UUID.randomUUID().toString();
        StringBuilder ndjson = new StringBuilder();
        int lines = 0;
        while (ndjson.length() < 1024 * 1024) {
            ndjson.append(Profiles.line("L" + lines++ + "-" + tag, "FR", "Lyon", "A", "y", "gold", tag, false, null))
                    .append('\n');
        }
        Profiles.post(ndjson.toString())
                .statusCode(200)
                .body("received", equalTo(lines))
                .body("accepted", equalTo(lines));
    }

    @Test
    void aBodyWithoutALengthIsRefusedWhenItPassesTheLimit() throws Exception {
        String name = "chunked-" + UUID.randomUUID();
        RawHttp.Answer small = RawHttp.chunked(
                base,
                "POST",
                "/audiences",
                "application/json",
                new ByteArrayInputStream(("{\"name\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8)),
                new AtomicLong(),
                admin());
        assertEquals(201, small.status(), small.body());

        AtomicLong sent = new AtomicLong();
        InputStream big = new SequenceInputStream(
                new ByteArrayInputStream("{\"name\":\"".getBytes(StandardCharsets.UTF_8)), filler(64L << 20, 'x'));
        problem(RawHttp.chunked(base, "POST", "/audiences", "application/json", big, sent, admin()), "64 KiB");
        // Refused while it streamed: the connection was closed long before the 64 MiB were sent.
        assertTrue(sent.get() < 64L << 20, "the body was read to its end: " + sent.get());

        String line = Profiles.line("C-" + UUID.randomUUID(), "FR", "Nice", "B", "y", "gold", "t", false, null);
        InputStream lines = repeated((line + "\n").getBytes(StandardCharsets.UTF_8), 64L << 20);
        RawHttp.Answer bulk = RawHttp.chunked(
                base, "POST", "/profiles/bulk", "application/x-ndjson", lines, new AtomicLong(), admin());
        problem(bulk, "4 MiB");
        assertTrue(bulk.body().contains("profiles were stored"), bulk.body());

        // The service goes on answering.
        given().get("/audiences").then().statusCode(200);
    }

    private static void problem(RawHttp.Answer answer, String limit) {
        assertEquals(413, answer.status(), answer.body());
        assertTrue(answer.contentType().startsWith(PROBLEM), answer.contentType());
        JsonPath problem = JsonPath.from(answer.body());
        assertEquals(413, problem.getInt("status"));
        assertEquals("body", problem.getString("field"));
        assertEquals("max-body-size", problem.getString("rule"));
        assertTrue(problem.getString("detail").contains(limit), problem.getString("detail"));
        assertEquals("close", answer.connection().toLowerCase());
    }

    /** {@code length} bytes of {@code b}, made as they are read. */
    private static InputStream filler(long length, char b) {
        return repeated(new byte[] {(byte) b}, length);
    }

    private static InputStream repeated(byte[] unit, long length) {
        return new InputStream() {
            private long at;

            @Override
            public int read() {
                return at < length ? unit[(int) (at++ % unit.length)] & 0xFF : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at >= length) {
                    return -1;
                }
                int n = (int) Math.min(len, length - at);
                for (int i = 0; i < n; i++) {
                    b[off + i] = unit[(int) (at++ % unit.length)];
                }
                return n;
            }
        };
    }
}
