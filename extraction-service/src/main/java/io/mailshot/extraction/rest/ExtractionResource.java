package io.mailshot.extraction.rest;

import io.mailshot.extraction.persistence.ExtractedRun;
import io.mailshot.extraction.persistence.ExtractedRunRepository;
import io.mailshot.extraction.service.run.RunExtractor;
import io.mailshot.kit.rest.ApiException;
import io.mailshot.kit.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Progress of a run's extraction: live from memory while it is written, from the database once finished. */
@Path("/extractions")
@Produces(MediaType.APPLICATION_JSON)
public class ExtractionResource {

    private final RunExtractor extractor;
    private final ExtractedRunRepository runs;

    public ExtractionResource(RunExtractor extractor, ExtractedRunRepository runs) {
        this.extractor = extractor;
        this.runs = runs;
    }

    @GET
    @Path("/{runId}")
    @Operation(summary = "Where the extraction of a run stands")
    @RolesAllowed(Roles.READER)
    public ExtractionStatus get(@PathParam("runId") UUID runId) {
        // Memory first: a run leaves memory only after its database record is committed.
        Optional<RunExtractor.Progress> progress = extractor.progress(runId);
        if (progress.isPresent()) {
            RunExtractor.Progress p = progress.get();
            return new ExtractionStatus(
                    runId,
                    ExtractionStatus.Status.IN_PROGRESS,
                    p.attemptId(),
                    p.rowsWritten(),
                    null,
                    p.bytes(),
                    null,
                    null,
                    null,
                    null,
                    p.rejectedRows(),
                    null,
                    null,
                    null);
        }
        Optional<RunExtractor.Parked> parked = extractor.retrying(runId);
        if (parked.isPresent()) {
            RunExtractor.Parked p = parked.get();
            return new ExtractionStatus(
                    runId,
                    ExtractionStatus.Status.RETRY_SCHEDULED,
                    null,
                    0,
                    null,
                    null,
                    null,
                    p.reason(),
                    null,
                    null,
                    null,
                    null,
                    p.tries(),
                    p.nextTryAt());
        }
        ExtractedRun run = runs.find(runId).orElseThrow(() -> ApiException.notFound("extraction of run", runId));
        ExtractionStatus.Status status =
                ExtractionStatus.Status.valueOf(run.status().name());
        boolean completed = status == ExtractionStatus.Status.COMPLETED;
        return new ExtractionStatus(
                runId,
                status,
                run.attemptId(),
                run.rows(),
                run.objectKey(),
                run.bytes(),
                run.sha256(),
                run.reason(),
                completed ? run.parts() : null,
                completed ? run.seedRows() : null,
                run.rejectedRows(),
                run.manifestKey(),
                null,
                null);
    }
}
