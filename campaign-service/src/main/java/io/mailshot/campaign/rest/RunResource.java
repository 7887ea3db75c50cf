package io.mailshot.campaign.rest;

import io.mailshot.campaign.rest.ApiModels.RunView;
import io.mailshot.campaign.service.run.RunChanges;
import io.mailshot.campaign.service.run.RunCommands;
import io.mailshot.campaign.service.run.RunViews;
import io.mailshot.kit.audit.Audited;
import io.mailshot.kit.security.Caller;
import io.mailshot.kit.security.Roles;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** A run's status, counts, file and deliveries; its progress as server-sent events; retry. */
@Path("/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    private final RunViews runs;
    private final RunCommands commands;
    private final Caller caller;
    private final RunChanges changes;

    public RunResource(RunViews runs, RunCommands commands, RunChanges changes, Caller caller) {
        this.caller = caller;
        this.runs = runs;
        this.commands = commands;
        this.changes = changes;
    }

    /** Longest wait between two looks at a run: what another replica changes is seen within it. */
    private static final Duration LOOK_AGAIN = Duration.ofMillis(500);

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.READER)
    public RunView get(@PathParam("id") UUID id) {
        return ApiMapping.view(runs.get(id));
    }

    /**
     * The run as server-sent events: one event now, one each time its status, progress or counts change,
     * and the stream ends after the final state (DELIVERED, FAILED or CANCELLED).
     */
    @GET
    @Blocking
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.READER)
    public Multi<RunView> events(@PathParam("id") UUID id) {
        runs.get(id); // 404 before the stream opens
        return Multi.createFrom()
                .<RunView>emitter(emitter -> Infrastructure.getDefaultWorkerPool()
                        .execute(() -> {
                            RunView last = null;
                            try {
                                while (!emitter.isCancelled()) {
                                    long seen = changes.version();
                                    RunView now = ApiMapping.view(runs.get(id));
                                    if (last == null || !Objects.equals(summary(now), summary(last))) {
                                        emitter.emit(now);
                                        last = now;
                                    }
                                    if (now.status().matches("DELIVERED|FAILED|CANCELLED")) {
                                        emitter.complete();
                                        return;
                                    }
                                    changes.awaitAfter(seen, LOOK_AGAIN);
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                emitter.complete();
                            } catch (RuntimeException e) {
                                emitter.fail(e);
                            }
                        }));
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
