package io.mailshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailshot.infra.InfraPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The benchmark at a smoke size, so the script cannot rot. It asserts what the bench itself guarantees
 * (the delivered rows equal the baseline's, and a report is written), never a time: timings on a shared
 * machine are for the on-demand bench.
 */
class BenchSmokeIT {

    @Test
    void benchRunsEndToEndAndWritesItsReport() throws Exception {
        LocalPlatform.shareIdentityProvider();
        try {
            Tools.require("psql", "postgresql-client");
            Tools.require("/usr/bin/aws", "awscli");
        } catch (IllegalStateException e) {
            Assumptions.abort("the baseline's clients cannot be installed here: " + e.getMessage());
        }
        Path out = InfraPaths.root().resolve("deploy/local/launcher/target/bench-smoke");
        JsonNode report = Bench.run(10_000, 1, out);
        // Bench throws before reporting when the delivered rows differ from the baseline's.
        assertEquals(10_000, report.path("profiles").asInt());
        assertTrue(report.path("medians").path("rows").asDouble() > 9_000, report.toString());
        assertTrue(report.path("ratio_end_to_end_vs_baseline").asDouble() > 0);
        assertTrue(Files.exists(out.resolve("report-10000.json")));
    }
}
