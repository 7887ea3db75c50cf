package io.mailshot.campaign.rest;

import io.mailshot.campaign.rest.ApiModels.MatchBackView;
import io.mailshot.campaign.rest.ApiModels.RunView;
import io.mailshot.campaign.service.run.MatchBacks;
import io.mailshot.campaign.service.run.ProgressRate;
import io.mailshot.campaign.service.run.Run;
import io.mailshot.campaign.service.run.RunChanges;
import io.mailshot.campaign.service.run.RunCommands;
import io.mailshot.campaign.service.run.RunStatus;
import io.mailshot.campaign.service.run.RunViews;
import io.mailshot.kit.audit.Audited;
import io.mailshot.kit.rest.ApiException;
import io.mailshot.kit.rest.Problem;
import io.mailshot.kit.security.Caller;
import io.mailshot.kit.security.Roles;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** A run's status, counts, file and deliveries; its progress as server-sent events; retry. */
@Path("/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    private final RunViews runs;
    private final RunCommands commands;
    private final Caller caller;
    private final RunChanges changes;
    private final MatchBacks matchBacks;

    public RunResource(RunViews runs, RunCommands commands, RunChanges changes, Caller caller, MatchBacks matchBacks) {
        this.matchBacks = matchBacks;
        this.caller = caller;
        this.runs = runs;
        this.commands = commands;
        this.changes = changes;
    }

    /** Longest wait between two looks at a run: what another replica changes is seen within it. */
    private static final Duration LOOK_AGAIN = Duration.ofMillis(500);

    /** How far back a stream measures the current stage's rate: long enough to smooth a once-a-second event. */
    private static final Duration RATE_WINDOW = Duration.ofSeconds(20);

    /** How often a stream re-sends an unchanged run whose estimate moved (a stall): often enough to see it. */
    private static final Duration REFRESH_ESTIMATE = Duration.ofSeconds(5);

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.READER)
    public RunView get(@PathParam("id") UUID id) {
        return ApiMapping.view(runs.get(id));
    }

    /**
     * A delivered run's responses within {@code windowDays} after delivery, mailed against held out, with the lift,
     * completed with the run's cost per response and per incremental response. The audience-service counts them; when
     * it cannot answer, a 503 problem.
     */
    @GET
    @Path("/{id}/match-back")
    @RolesAllowed(Roles.READER)
    public MatchBackView matchBack(
            @PathParam("id") UUID id,
            @QueryParam("windowDays")
                    @DefaultValue("30")
                    @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "3650"))
                    String windowDays) {
        return ApiMapping.view(matchBacks.report(id, windowDays(windowDays)));
    }

    private static int windowDays(String value) {
        String text = value.strip();
        String rule = !text.matches("[0-9]{1,9}")
                ? "type"
                : Integer.parseInt(text) < 1 ? "Min" : Integer.parseInt(text) > 3650 ? "Max" : null;
        if (rule != null) {
            String detail = "windowDays must be a whole number of days from 1 to 3650";
            throw new ApiException(
                    400,
                    "validation-failed",
                    "Invalid request",
                    detail,
                    List.of(new Problem.FieldError("windowDays", rule, detail)));
        }
        return Integer.parseInt(text);
    }

    /**
     * The run as server-sent events: one event now, one each time its status, progress or counts change (with the
     * current stage's rate and time left, measured by this stream), and the stream ends after the final state
     * (DELIVERED, FAILED or CANCELLED).
     *
     * <p>No thread waits for a subscriber: the stream wakes on a change committed in this process or every
     * {@link #LOOK_AGAIN} (for changes by another replica), and only then reads the run on a worker, one read at a
     * time; the wake-ups that come during a read fold into one more read right after it.
     */
    @GET
    @Blocking // the 404 check reads the database; the stream itself holds no worker
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.READER)
    public Multi<RunView> events(@PathParam("id") UUID id) {
        runs.get(id); // 404 before the stream opens
        Sent last = new Sent(new ProgressRate(RATE_WINDOW));
        return Multi.createBy()
                .merging()
                .streams(
                        Multi.createFrom().item(0L),
                        changes.stream(),
                        Multi.createFrom().ticks().every(LOOK_AGAIN))
                .onOverflow()
                .dropPreviousItems()
                .onItem()
                .transformToUniAndConcatenate(wake -> Uni.createFrom()
                        .item(() -> runs.get(id))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .onItem()
                .transformToIterable(run -> next(run, last, System.nanoTime()))
                .select()
                .first(Optional::isPresent)
                .map(Optional::get);
    }

    /** What one stream last sent, and its measure of the current stage: touched by one read at a time. */
    private static final class Sent {
        final ProgressRate rate;
        String summary;
        ProgressRate.Estimate estimate;
        long at;

        Sent(ProgressRate rate) {
            this.rate = rate;
        }
    }

    /**
     * What one look at the run sends: the run when it changed, or, at most every {@link #REFRESH_ESTIMATE}, when only
     * the estimate did (a stalled stage's time left must not stay frozen at its last value); then an empty marker that
     * ends the stream when it is final (a run already final when the stream opens is still sent once).
     */
    private static List<Optional<RunView>> next(Run run, Sent last, long now) {
        Run.StageProgress stage = run.progress().current();
        ProgressRate.Estimate estimate =
                stage == null ? null : last.rate.observe(stage.stage(), stage.done(), stage.total(), now);
        String summary = summary(ApiMapping.view(run));
        List<Optional<RunView>> out = new ArrayList<>(2);
        boolean changed = !summary.equals(last.summary);
        boolean estimateMoved =
                estimate != null && !estimate.equals(last.estimate) && now - last.at >= REFRESH_ESTIMATE.toNanos();
        if (changed || estimateMoved) {
            last.summary = summary;
            last.estimate = estimate;
            last.at = now;
            out.add(Optional.of(ApiMapping.view(run, estimate)));
        }
        if (RunStatus.valueOf(run.status()).isFinal()) {
            out.add(Optional.empty());
        }
        return out;
    }

    private static String summary(RunView run) {
        return run.status()
                + run.progress()
                + run.counts()
                + run.file()
                + run.delivery().attempts().size();
    }

    /** Cancels a run under way; nothing more is published for it. */
    @POST
    @Path("/{id}/cancel")
    @RolesAllowed(Roles.OPERATOR)
    @Audited(action = "run.cancel", entity = "run")
    public RunView cancel(@PathParam("id") UUID id) {
        RunView cancelled = ApiMapping.view(commands.cancel(id, caller.actor()));
        changes.changed();
        return cancelled;
    }

    /** A FAILED run again, with the same snapshot: 202 with the new run. */
    @POST
    @Path("/{id}/retry")
    @RolesAllowed(Roles.OPERATOR)
    @Audited(action = "run.retry", entity = "run")
    public Response retry(@PathParam("id") UUID id) {
        RunView run = ApiMapping.view(commands.retry(id, caller.actor()));
        return Response.accepted(run).location(URI.create("/runs/" + run.id())).build();
    }
}
