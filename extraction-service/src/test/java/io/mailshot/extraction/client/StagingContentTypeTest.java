package io.mailshot.extraction.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailshot.events.FileFormat;
import io.mailshot.extraction.service.file.FileContentType;
import io.mailshot.extraction.service.file.Layout;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.infra.StagingTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Every content type a staged file can be declared with goes through the real staging bucket, and the object
 * read back by the test's own client says the same. Issue 17: {@code text/plain; charset=utf-8} (DELIMITED and
 * FIXED_WIDTH files) was refused with 403 by the local S3 server, whose HTTP parser replaced the header with a
 * cached {@code charset=UTF-8} before checking the request's signature.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "extraction"))
class StagingContentTypeTest {

    @Inject
    StagingBucket staging;

    @Test
    void everyLayoutsContentTypeIsStagedAndReadBack(@TempDir Path dir) throws Exception {
        Set<String> types = new LinkedHashSet<>(List.of(FileContentType.MANIFEST_JSON, FileContentType.MANIFEST_CSV));
        for (String type : List.of("CSV", "DELIMITED", "FIXED_WIDTH")) {
            for (String delimiter : type.equals("DELIMITED") ? List.of("\t", ";", "|", ",") : List.of(",")) {
                for (Layout.Encoding encoding : Layout.Encoding.values()) {
                    for (Layout.Compression compression : Layout.Compression.values()) {
                        types.add(FileContentType.of(Layout.of(
                                new FileFormat(
                                        type,
                                        delimiter,
                                        null,
                                        null,
                                        null,
                                        encoding.name(),
                                        null,
                                        null,
                                        null,
                                        compression.name(),
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null),
                                true)));
                    }
                }
            }
        }
        assertTrue(types.contains("text/plain; charset=utf-8"), "the type the local S3 server used to refuse");
        Path file = Files.writeString(dir.resolve("part"), "a;b\n", StandardCharsets.UTF_8);
        String prefix = "content-types/" + UUID.randomUUID() + "/";
        List<String> problems = new ArrayList<>();
        try (S3Client s3 = StagingTestClient.create()) {
            int i = 0;
            for (String type : types) {
                String key = prefix + i++;
                try {
                    staging.upload(file, key, type);
                    String stored = s3.headObject(
                                    b -> b.bucket(staging.bucket()).key(key))
                            .contentType();
                    if (!normalised(type).equals(normalised(stored))) {
                        problems.add(type + " was stored as " + stored);
                    }
                } catch (RuntimeException e) {
                    problems.add(type + " was refused: " + e.getMessage());
                }
            }
        } finally {
            staging.deletePrefix(prefix);
        }
        assertEquals(List.of(), problems);
    }

    /** Whitespace around a parameter's ';' and the case of names carry no meaning (RFC 9110 section 8.3). */
    private static String normalised(String contentType) {
        return contentType.replaceAll("\\s*;\\s*", ";").toLowerCase(Locale.ROOT);
    }
}
