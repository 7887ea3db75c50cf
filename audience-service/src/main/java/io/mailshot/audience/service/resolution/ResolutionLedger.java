package io.mailshot.audience.service.resolution;

import io.mailshot.audience.persistence.AttributePath;
import io.mailshot.audience.persistence.AudienceRecord;
import io.mailshot.audience.persistence.AudienceRepository;
import io.mailshot.audience.persistence.CompiledFilter;
import io.mailshot.audience.persistence.DedupLevel;
import io.mailshot.audience.persistence.Exclusions;
import io.mailshot.audience.persistence.ResolvedRunRepository;
import io.mailshot.audience.persistence.SuppressionRepository;
import io.mailshot.audience.service.audience.AudienceService;
import io.mailshot.events.AudienceResolutionFailed;
import io.mailshot.events.AudienceResolutionStarted;
import io.mailshot.events.AudienceResolved;
import io.mailshot.events.AudienceSliceRequested;
import io.mailshot.events.ExclusionCounts;
import io.mailshot.events.FileColumn;
import io.mailshot.events.PressureRule;
import io.mailshot.events.RunRequested;
import io.mailshot.events.RunSpec;
import io.mailshot.events.Topics;
import io.mailshot.kit.domain.DomainException;
import io.mailshot.kit.persistence.Outbox;
import io.mailshot.kit.persistence.ProcessedEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The two transactions around streaming a run: opening an attempt (or refusing the run) and recording the
 * completed attempt. Each writes its state and the event describing it together, through the outbox.
 */
@ApplicationScoped
public class ResolutionLedger {

    private static final Logger LOG = Logger.getLogger(ResolutionLedger.class);

    /** The consumer name in the processed-event log. */
    public static final String CONSUMER = "audience-service";

    private final ResolvedRunRepository resolvedRuns;
    private final AudienceRepository audiences;
    private final SuppressionRepository suppressionLists;
    private final AudienceService audienceService;
    private final Outbox outbox;
    private final ProcessedEvents processed;

    public ResolutionLedger(
            ResolvedRunRepository resolvedRuns,
            AudienceRepository audiences,
            SuppressionRepository suppressionLists,
            AudienceService audienceService,
            Outbox outbox,
            ProcessedEvents processed) {
        this.suppressionLists = suppressionLists;
        this.resolvedRuns = resolvedRuns;
        this.audiences = audiences;
        this.audienceService = audienceService;
        this.outbox = outbox;
        this.processed = processed;
    }

    /**
     * What streaming an attempt needs: its id, the compiled filter, the projected fields, the exclusions and
     * which slice of how many it streams (0 of 1 for an unsliced run).
     */
    public record Attempt(
            UUID attemptId,
            CompiledFilter filter,
            List<String> fields,
            Exclusions exclusions,
            int holdoutPercent,
            int slice,
            int slices) {}

    /** A request checked and compiled, not yet an attempt. */
    private record Prepared(CompiledFilter filter, List<String> fields, Exclusions exclusions, int holdoutPercent) {

        Attempt attempt(int slice, int slices) {
            return new Attempt(UUID.randomUUID(), filter, fields, exclusions, holdoutPercent, slice, slices);
        }
    }

    /**
     * Transaction A. Empty when there is nothing to stream: the run was already resolved, or it cannot be
     * (its failure event is then in the outbox).
     */
    @Transactional
    public Optional<Attempt> begin(String eventId, RunRequested run) throws SQLException {
        if (resolvedRuns.isResolved(run.runId())) {
            LOG.infof("run %s is already resolved; request %s skipped", run.runId(), eventId);
            return Optional.empty();
        }
        Optional<Prepared> prepared = prepare(eventId, run);
        if (prepared.isEmpty()) {
            return Optional.empty();
        }
        Attempt attempt = prepared.get().attempt(0, 1);
        outbox.append(
                Topics.AUDIENCE_EVENTS,
                run.runId().toString(),
                new AudienceResolutionStarted(run.runId(), attempt.attemptId()));
        return Optional.of(attempt);
    }

    /**
     * Splits a run into slices (one transaction): records the split and queues one
     * {@link AudienceSliceRequested} per slice through the outbox, for the replicas of the group to stream.
     * A redelivered request finds the split recorded and queues nothing more.
     */
    @Transactional
    public void plan(String eventId, RunRequested run, int slices) throws SQLException {
        if (resolvedRuns.isResolved(run.runId())) {
            LOG.infof("run %s is already resolved; request %s skipped", run.runId(), eventId);
            return;
        }
        if (prepare(eventId, run).isEmpty()) {
            return;
        }
        if (!resolvedRuns.planSlices(run.runId(), slices)) {
            LOG.infof("run %s is already split into slices; request %s skipped", run.runId(), eventId);
            return;
        }
        outbox.append(
                Topics.AUDIENCE_EVENTS,
                run.runId().toString(),
                new AudienceResolutionStarted(run.runId(), UUID.randomUUID()));
        for (int slice = 0; slice < slices; slice++) {
            outbox.append(
                    Topics.AUDIENCE_SLICES,
                    run.runId() + ":" + slice,
                    new AudienceSliceRequested(run.runId(), slice, slices, run));
        }
        LOG.infof("run %s split into %d slices", run.runId(), slices);
    }

    /** Transaction A of one slice: empty when the slice (or the run) is already resolved or cannot be. */
    @Transactional
    public Optional<Attempt> beginSlice(String eventId, AudienceSliceRequested request) throws SQLException {
        UUID runId = request.runId();
        if (resolvedRuns.isResolved(runId) || resolvedRuns.isSliceResolved(runId, request.slice())) {
            LOG.infof("run %s slice %d is already resolved; request %s skipped", runId, request.slice(), eventId);
            return Optional.empty();
        }
        return prepare(eventId, request.run()).map(p -> p.attempt(request.slice(), request.slices()));
    }

    /**
     * What transaction B of a slice did: whether this attempt was the slice's first to complete, and, when it was the
     * last slice to land and so recorded the run, how long the run's resolution took since it was split.
     */
    public record SliceCompletion(boolean first, Optional<Duration> runResolvedIn) {}

    /**
     * Transaction B of one slice: records its counts, and when it is the last slice to land, records the run
     * and announces it with the sums. The sliced run's row lock makes exactly one transaction the last.
     */
    @Transactional
    public SliceCompletion completeSlice(
            String eventId,
            AudienceSliceRequested request,
            UUID attemptId,
            long matched,
            long streamed,
            ExclusionCounts excluded)
            throws SQLException {
        UUID runId = request.runId();
        ResolvedRunRepository.SlicedRun split = resolvedRuns
                .lockSlicedRun(runId)
                .orElseThrow(() -> new IllegalStateException("run " + runId + " has a slice but was never split"));
        boolean first = resolvedRuns.insertSlice(runId, request.slice(), attemptId, matched, streamed, excluded);
        processed.firstTime(CONSUMER, eventId);
        ResolvedRunRepository.SliceTotals totals = resolvedRuns.sliceTotals(runId);
        if (first
                && totals.slices() == split.slices()
                && resolvedRuns.insert(runId, attemptId, totals.matched(), totals.streamed(), totals.excluded())) {
            outbox.append(
                    Topics.AUDIENCE_EVENTS,
                    runId.toString(),
                    new AudienceResolved(runId, attemptId, totals.matched(), totals.streamed(), totals.excluded()));
            return new SliceCompletion(true, Optional.of(split.age()));
        }
        return new SliceCompletion(first, Optional.empty());
    }

    /** Checks and compiles a request; empty when it cannot be resolved (its failure event is then in the outbox). */
    private Optional<Prepared> prepare(String eventId, RunRequested run) throws SQLException {
        Optional<AudienceRecord> audience = audiences.find(run.audienceId());
        if (audience.isEmpty()) {
            fail(eventId, run, "audience " + run.audienceId() + " does not exist");
            return Optional.empty();
        }
        List<String> fields = new ArrayList<>();
        Optional<String> badColumn = fields(run, fields);
        if (badColumn.isPresent()) {
            fail(eventId, run, badColumn.get());
            return Optional.empty();
        }
        RunSpec spec = run.spec();
        Optional<DedupLevel> dedup = DedupLevel.of(spec.dedup());
        if (dedup.isEmpty()) {
            fail(eventId, run, "spec.dedup must be NONE, IDENTITY, ADDRESS or HOUSEHOLD");
            return Optional.empty();
        }
        int holdout = spec.holdoutPercent() == null ? 0 : spec.holdoutPercent();
        if (holdout < 0 || holdout > 50) {
            fail(eventId, run, "spec.holdoutPercent must be within 0 and 50");
            return Optional.empty();
        }
        List<UUID> lists = spec.suppressionListIds() == null
                ? List.of()
                : spec.suppressionListIds().stream().distinct().toList();
        for (UUID list : lists) {
            if (list == null || !suppressionLists.exists(list)) {
                fail(eventId, run, "suppression list " + list + " does not exist");
                return Optional.empty();
            }
        }
        Optional<DomainException.Violation> badRule =
                PressureRules.violation("spec.pressureRules", spec.pressureRules(), run.campaignId());
        if (badRule.isPresent()) {
            fail(eventId, run, badRule.get().message());
            return Optional.empty();
        }
        List<PressureRule> rules = spec.pressureRules() == null ? List.of() : spec.pressureRules();
        String namespace =
                spec.identityNamespace() == null || spec.identityNamespace().isBlank()
                        ? null
                        : spec.identityNamespace().strip();
        return Optional.of(new Prepared(
                audienceService.compile(audience.get()),
                List.copyOf(fields),
                new Exclusions(dedup.get(), namespace, lists, rules, run.campaignId()),
                holdout));
    }

    /** Transaction B: the attempt streamed completely; record it and announce it. */
    @Transactional
    public boolean complete(
            String eventId, RunRequested run, UUID attemptId, long matched, long streamed, ExclusionCounts excluded)
            throws SQLException {
        boolean first = resolvedRuns.insert(run.runId(), attemptId, matched, streamed, excluded);
        processed.firstTime(CONSUMER, eventId);
        if (first) {
            outbox.append(
                    Topics.AUDIENCE_EVENTS,
                    run.runId().toString(),
                    new AudienceResolved(run.runId(), attemptId, matched, streamed, excluded));
        }
        return first;
    }

    /** Whether the run is resolved (a later try has nothing to do). */
    public boolean isResolved(UUID runId) throws SQLException {
        return resolvedRuns.isResolved(runId);
    }

    /** The run's tries are spent: announces its failure once, however often this is called. */
    @Transactional
    public void gaveUp(UUID runId, String reason) throws SQLException {
        if (resolvedRuns.isResolved(runId)) {
            return;
        }
        if (processed.firstTime(CONSUMER, "gave-up:" + runId)) {
            LOG.warnf("run %s failed: %s", runId, reason);
            outbox.append(Topics.AUDIENCE_EVENTS, runId.toString(), new AudienceResolutionFailed(runId, reason));
        }
    }

    private void fail(String eventId, RunRequested run, String reason) {
        LOG.infof("run %s cannot be resolved: %s", run.runId(), reason);
        // Only the first delivery of this event announces the failure.
        if (processed.firstTime(CONSUMER, eventId)) {
            outbox.append(
                    Topics.AUDIENCE_EVENTS, run.runId().toString(), new AudienceResolutionFailed(run.runId(), reason));
        }
    }

    /**
     * Fills the projected paths: {@code spec.fields} when present (it lists every path the columns and
     * their expressions read), otherwise the distinct column paths in column order (expression-only columns
     * contribute nothing then). Returns why the spec is unusable, if it is.
     */
    private static Optional<String> fields(RunRequested run, List<String> out) {
        if (run.spec().fields() != null) {
            Set<String> distinct = new LinkedHashSet<>();
            List<String> fields = run.spec().fields();
            for (int i = 0; i < fields.size(); i++) {
                if (!AttributePath.isValid(fields.get(i))) {
                    return Optional.of("spec.fields[" + i + "] is not a valid attribute path");
                }
                distinct.add(fields.get(i));
            }
            out.addAll(distinct);
            return Optional.empty();
        }
        List<FileColumn> columns = run.spec().columns();
        Set<String> distinct = new LinkedHashSet<>();
        for (int i = 0; i < columns.size(); i++) {
            FileColumn column = columns.get(i);
            if (column != null && column.path() == null && column.expression() != null) {
                continue;
            }
            if (column == null || !AttributePath.isValid(column.path())) {
                return Optional.of("spec.columns[" + i + "].path is not a valid attribute path");
            }
            distinct.add(column.path());
        }
        out.addAll(distinct);
        return Optional.empty();
    }
}
