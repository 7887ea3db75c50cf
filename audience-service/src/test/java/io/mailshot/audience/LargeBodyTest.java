package io.mailshot.audience;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailshot.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A body far larger than anything worth buffering, sent by a stock Java HTTP client (which asks for an
 * h2c upgrade): it must stream through and be answered line by line.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "audience"))
class LargeBodyTest {

    private static final long FILLER_BYTES = 256L * 1024 * 1024;
    private static final int FILLER_LINE = 1_200_000;

    @TestHTTPResource("/profiles/bulk")
    URI bulk;

    @Test
    void aQuarterGigabyteBodyStreamsThrough() throws Exception {
        String tag = UUID.randomUUID().toString();
        String head = Profiles.line("H-" + tag, "FR", "Lyon", "A", "y", "gold", tag, false, null) + "\n";
        String tail = "\n" + Profiles.line("T-" + tag, "FR", "Nice", "B", "y", "gold", tag, false, null) + "\n";
        InputStream body = new SequenceInputStream(
                new SequenceInputStream(
                        new ByteArrayInputStream(head.getBytes(StandardCharsets.UTF_8)), new FillerLines()),
                new ByteArrayInputStream(tail.getBytes(StandardCharsets.UTF_8)));

        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(bulk)
                                .header("Content-Type", "application/x-ndjson")
                                .header("Authorization", InfraTestResource.bearer("admin"))
                                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode(), response.body());
        // The server declines the h2c upgrade: upgrading would make Vert.x hold the whole body first.
        assertEquals(HttpClient.Version.HTTP_1_1, response.version());
        long fillerLines = (FILLER_BYTES + FILLER_LINE - 1) / FILLER_LINE;
        assertTrue(response.body().contains("\"received\":" + (fillerLines + 2)), response.body());
        assertTrue(response.body().contains("\"accepted\":2"), response.body());
        given().when().get("/profiles/crmId/T-" + tag).then().statusCode(200).body("homeAddress.city", equalTo("Nice"));
    }

    /** Lines of 'x' longer than the line cap, generated on the fly: nothing of the body exists in memory. */
    private static final class FillerLines extends InputStream {

        private long sent;

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (sent >= FILLER_BYTES) {
                return -1;
            }
            int n = (int) Math.min(len, FILLER_BYTES - sent);
            for (int i = 0; i < n; i++) {
                sent++;
                b[off + i] = sent % FILLER_LINE == 0 ? (byte) '\n' : (byte) 'x';
            }
            return n;
        }
    }
}
