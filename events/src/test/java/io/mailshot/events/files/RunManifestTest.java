package io.mailshot.events.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RunManifestTest {

    private static final Map<String, String> NAMES =
            Map.of("m-001.csv", "m-001_T.csv", "m, \"2\".csv", "m, \"2\"_T.csv");

    @Test
    void jsonRenamesOnlyThePartNames() throws Exception {
        String manifest = "{\"schemaVersion\":1,\"name\":\"m-001.csv\",\"campaignName\":\"m-001.csv\","
                + "\"parts\":[{\"part\":1,\"name\":\"m-001.csv\",\"key\":\"runs/x/m-001.csv\",\"rows\":3,"
                + "\"bytes\":12345678901,\"sha256\":\"ab\"},{\"part\":2,\"name\":\"other.csv\",\"nested\":{\"name\":"
                + "\"m-001.csv\"}}],\"totals\":{\"parts\":2,\"bytes\":12345678901},\"rejections\":[\"m-001.csv\"]}";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RunManifest.rewriteJson(new ByteArrayInputStream(manifest.getBytes(StandardCharsets.UTF_8)), out, NAMES);
        ObjectMapper mapper = new ObjectMapper();
        JsonNode expected = mapper.readTree(
                manifest.replaceFirst("\"part\":1,\"name\":\"m-001.csv\"", "\"part\":1,\"name\":\"m-001_T.csv\""));
        assertEquals(
                expected,
                mapper.readTree(out.toByteArray()),
                "parts[].name renamed; the top-level name, nested names, the key and other text untouched");
    }

    @Test
    void jsonThatIsNotJsonFails() {
        assertThrows(
                IOException.class,
                () -> RunManifest.rewriteJson(
                        new ByteArrayInputStream("{\"parts\":[".getBytes(StandardCharsets.UTF_8)),
                        new ByteArrayOutputStream(),
                        NAMES));
    }

    @Test
    void csvRenamesTheNameColumnAndKeepsTheFormat() throws Exception {
        String trigger = "run_id,campaign_id,part,name,rows,seed_rows,bytes,sha256\n"
                + "r,,1,m-001.csv,3,0,10,ab\n"
                + "r,,2,\"m, \"\"2\"\".csv\",4,0,11,cd\n"
                + "r,,3,unknown.csv,4,0,11,ef\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RunManifest.rewriteCsv(new ByteArrayInputStream(trigger.getBytes(StandardCharsets.UTF_8)), out, NAMES);
        assertEquals(
                "run_id,campaign_id,part,name,rows,seed_rows,bytes,sha256\n"
                        + "r,,1,m-001_T.csv,3,0,10,ab\n"
                        + "r,,2,\"m, \"\"2\"\"_T.csv\",4,0,11,cd\n"
                        + "r,,3,unknown.csv,4,0,11,ef\n",
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void csvWithoutANameColumnFails() {
        assertThrows(
                IOException.class,
                () -> RunManifest.rewriteCsv(
                        new ByteArrayInputStream("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8)),
                        new ByteArrayOutputStream(),
                        NAMES));
    }

    @Test
    void theTriggerFileTheExtractionWritesIsTheOneTheDeliveryRenames() throws Exception {
        UUID run = UUID.randomUUID();
        RunManifest manifest = new RunManifest(
                RunManifest.SCHEMA_VERSION,
                run,
                null,
                "Spring",
                Instant.parse("2026-11-28T18:04:36Z"),
                new RunManifest.Format("CSV", "UTF_8", "NONE", "LF"),
                List.of(
                        new RunManifest.PartEntry(
                                1, "m-001.csv", StagingLayout.partKey(run, "m-001.csv"), 3, 1, 10, "ab"),
                        new RunManifest.PartEntry(2, "m, \"2\".csv", "k", 4, 0, 11, "cd")),
                new RunManifest.Totals(2, 7, 1, 0, 0, 21),
                List.of());
        String csv = manifest.toCsv();
        assertEquals(
                "run_id,campaign_id,part,name,rows,seed_rows,bytes,sha256\n"
                        + run + ",,1,m-001.csv,3,1,10,ab\n"
                        + run + ",,2,\"m, \"\"2\"\".csv\",4,0,11,cd\n",
                csv);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RunManifest.rewriteCsv(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), out, NAMES);
        assertEquals(
                csv.replace(",m-001.csv,", ",m-001_T.csv,").replace("\"m, \"\"2\"\".csv\"", "\"m, \"\"2\"\"_T.csv\""),
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aRunSplitByAFieldListsEachFilesSplitValueInALastColumn() throws Exception {
        UUID run = UUID.randomUUID();
        RunManifest manifest = new RunManifest(
                RunManifest.SCHEMA_VERSION,
                run,
                null,
                "Spring",
                Instant.parse("2026-11-28T18:04:36Z"),
                new RunManifest.Format("CSV", "UTF_8", "NONE", "LF"),
                List.of(
                        new RunManifest.PartEntry(1, "m-_empty.csv", "k1", 1, 0, 5, "ab", ""),
                        new RunManifest.PartEntry(1, "m-North_2C_20East.csv", "k2", 2, 0, 6, "cd", "North, East")),
                new RunManifest.Totals(2, 3, 0, 0, 0, 11),
                List.of());
        assertEquals(
                "run_id,campaign_id,part,name,rows,seed_rows,bytes,sha256,split_value\n"
                        + run + ",,1,m-_empty.csv,1,0,5,ab,\n"
                        + run + ",,1,m-North_2C_20East.csv,2,0,6,cd,\"North, East\"\n",
                manifest.toCsv());
    }
}
