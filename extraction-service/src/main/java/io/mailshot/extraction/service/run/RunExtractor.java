package io.mailshot.extraction.service.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.events.ExtractionCompleted;
import io.mailshot.events.ExtractionProgressed;
import io.mailshot.events.ProfileStreamAbandoned;
import io.mailshot.events.ProfileStreamCancelled;
import io.mailshot.events.ProfileStreamCompleted;
import io.mailshot.events.ProfileStreamStarted;
import io.mailshot.events.ProfilesStreamed;
import io.mailshot.events.StagedFile;
import io.mailshot.events.Topics;
import io.mailshot.events.files.ContactPlacements;
import io.mailshot.events.files.NameTemplate;
import io.mailshot.events.files.RunManifest;
import io.mailshot.events.files.StagingLayout;
import io.mailshot.extraction.client.StagingBucket;
import io.mailshot.extraction.config.ExtractionConfig;
import io.mailshot.extraction.persistence.ExtractedRun;
import io.mailshot.extraction.persistence.ExtractedRunRepository;
import io.mailshot.extraction.service.file.FileAssembler;
import io.mailshot.extraction.service.file.FileContentType;
import io.mailshot.extraction.service.file.Layout;
import io.mailshot.extraction.service.file.PartNameException;
import io.mailshot.extraction.service.file.PlanException;
import io.mailshot.extraction.service.file.Row;
import io.mailshot.extraction.service.file.RowFailure;
import io.mailshot.extraction.service.file.RowSpill;
import io.mailshot.extraction.service.file.RunPlan;
import io.mailshot.kit.health.WorkWatch;
import io.mailshot.kit.lifecycle.FailureReason;
import io.mailshot.kit.lifecycle.RetryPolicy;
import io.mailshot.kit.messaging.IncomingEvent;
import io.mailshot.kit.messaging.ProgressPace;
import io.mailshot.kit.messaging.ProgressPublisher;
import io.mailshot.kit.metrics.Metrics;
import io.mailshot.kit.persistence.CancelledRuns;
import io.mailshot.kit.persistence.RunTries;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Turns the profile stream into staged files: compiles each attempt's {@link RunPlan} at its start, renders
 * and spills rows as they arrive, and at the completion marker writes the parts, stages them and the
 * manifest, and records the run. Keeps, per partition, the runs it has started but not
 * finished (each with its attempts' spill files) and the offset of each run's first record, which bounds
 * what the consumer may commit.
 *
 * <p>A run resolved in slices ({@code ProfileStreamStarted.slices > 1}) is finished once one attempt of every
 * slice has completed; the winning attempts' spills are then merged (sorted runs) or concatenated in slice
 * order (stream order). A row's spill sequence is {@code slice << 40 | seq}, so ties and stream order follow
 * (slice, seq) and an unsliced run keeps its plain sequence.
 *
 * <p><b>One run's failure is that run's alone.</b> Whatever goes wrong while a run is open (a staging upload
 * refused, a full disk, a bug on one profile's data) is handed to {@link #runFailed}: the run is dropped, its
 * try is counted in the database ({@link RunTries}), and it is <i>parked</i> until its back-off has passed while
 * every other run flows on; then the consumer rewinds its partition to the run's first record and it is written
 * again from scratch. When its tries are spent (a crash loop counts too: every start is a try) it FAILS with
 * the last error, which frees its partition's offsets. A cancelled run is never started, parked or staged.
 *
 * <p>Driven by the single consumer thread; only {@link #progress} and {@link #retrying} are called from other
 * threads.
 */
@ApplicationScoped
public class RunExtractor {

    private static final Logger LOG = Logger.getLogger(RunExtractor.class);
    /** This stage's name in the try log. */
    static final String STAGE = "extraction";

    private final ExtractionConfig config;
    private final ExtractionLedger ledger;
    private final ExtractedRunRepository runs;
    private final StagingBucket staging;
    private final ObjectMapper mapper;
    private final ProgressPublisher progressPublisher;
    private final RunTries tries;
    private final RetryPolicy retry;
    private final CancelledRuns cancellations;
    private final WorkWatch.Worker watch;
    private final MeterRegistry registry;
    private final Counter rowsRendered;
    private final Counter rowsRejected;
    private final Counter stagedBytes;
    private final Counter stagedParts;
    /**
     * When each run's first try started here (nanoTime), for the stage duration: bounded like {@link #finished},
     * so a run dropped by a rebalance never leaks an entry.
     */
    private final Map<UUID, Long> startedAt;

    /** Open runs by partition, in order of their first record. Consumer thread only. */
    private final Map<Integer, Map<UUID, OpenRun>> byPartition = new HashMap<>();
    /** The same open runs by id, readable by the REST API. */
    private final Map<UUID, OpenRun> open = new ConcurrentHashMap<>();
    /** Recently finished run ids: a replayed stream is skipped without a database look-up per run. */
    private final Map<UUID, Boolean> finished;
    /** Runs waiting for their next try, by id; readable by the REST API. */
    private final Map<UUID, Parked> parked = new ConcurrentHashMap<>();

    public RunExtractor(
            ExtractionConfig config,
            ExtractionLedger ledger,
            ExtractedRunRepository runs,
            StagingBucket staging,
            ObjectMapper mapper,
            ProgressPublisher progressPublisher,
            RunTries tries,
            RetryPolicy retry,
            CancelledRuns cancellations,
            WorkWatch watch,
            MeterRegistry registry) {
        this.registry = registry;
        this.rowsRendered = registry.counter(Metrics.ROWS_RENDERED);
        this.rowsRejected = registry.counter(Metrics.ROWS_REJECTED);
        this.stagedBytes = registry.counter(Metrics.STAGED_BYTES);
        this.stagedParts = registry.counter(Metrics.STAGED_PARTS);
        this.tries = tries;
        this.retry = retry;
        this.cancellations = cancellations;
        this.watch = watch.worker("profile-stream-consumer");
        this.mapper = mapper;
        this.progressPublisher = progressPublisher;
        this.config = config;
        this.ledger = ledger;
        this.runs = runs;
        this.staging = staging;
        int capacity = Math.max(16, config.finishedCacheSize());
        this.finished = Collections.synchronizedMap(new LinkedHashMap<>(capacity, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
                return size() > capacity;
            }
        });
        this.startedAt = Collections.synchronizedMap(new LinkedHashMap<>(capacity, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Long> eldest) {
                return size() > capacity;
            }
        });
    }

    /** Records how long the run's extraction took here, from its first try's start, once it has ended. */
    private void ended(UUID runId, String outcome) {
        Long start = startedAt.remove(runId);
        if (start != null) {
            Metrics.stageEnded(
                    registry, Metrics.STAGE_EXTRACTION, outcome, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /** Deletes every spill file: after a restart they belong to nobody, their runs are replayed. */
    public void wipeSpill() {
        deleteTree(config.spillDir());
        try {
            Files.createDirectories(config.spillDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create spill folder " + config.spillDir(), e);
        }
    }

    /** Handles one decoded profile-stream record found at {@code offset} of {@code partition}. */
    public void handle(IncomingEvent event, int partition, long offset) throws IOException {
        switch (event.type()) {
            case PROFILE_STREAM_STARTED -> started(event.data(ProfileStreamStarted.class), partition, offset);
            case PROFILES_STREAMED -> streamed(event.data(ProfilesStreamed.class));
            case PROFILE_STREAM_COMPLETED -> completed(event.data(ProfileStreamCompleted.class));
            case PROFILE_STREAM_CANCELLED -> cancelled(event.data(ProfileStreamCancelled.class));
            case PROFILE_STREAM_ABANDONED -> abandoned(event.data(ProfileStreamAbandoned.class));
            default -> LOG.debugf("ignoring %s on the profile stream", event.type());
        }
    }

    /** The offset of the first record of the oldest unfinished run of the partition, if any. */
    public OptionalLong oldestOpenOffset(int partition) {
        long oldest = Long.MAX_VALUE;
        Map<UUID, OpenRun> runsOfPartition = byPartition.get(partition);
        if (runsOfPartition != null) {
            for (OpenRun run : runsOfPartition.values()) {
                oldest = Math.min(oldest, run.firstOffset);
            }
        }
        // A parked run will be read again from its first record: the offset may not pass it either.
        for (Parked p : parked.values()) {
            if (p.partition() == partition) {
                oldest = Math.min(oldest, p.firstOffset());
            }
        }
        return oldest == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(oldest);
    }

    /**
     * The partition moved to another consumer: forgets its unfinished and parked runs and deletes their spill
     * files; its new owner replays them from the committed offset (their tries are in the database).
     */
    public void drop(int partition) {
        dropOpen(partition);
        parked.values().removeIf(p -> p.partition() == partition);
    }

    /**
     * After an infrastructure failure: forgets every unfinished run, to be replayed from the committed offsets.
     * Parked runs stay parked, so a replay does not cut their back-off short.
     */
    public void dropAll() {
        for (Integer partition : new ArrayList<>(byPartition.keySet())) {
            dropOpen(partition);
        }
    }

    private void dropOpen(int partition) {
        Map<UUID, OpenRun> runsOfPartition = byPartition.remove(partition);
        if (runsOfPartition != null) {
            for (OpenRun run : new ArrayList<>(runsOfPartition.values())) {
                discard(run);
            }
        }
    }

    /** Whether the run is open in this instance: a failure now is the run's own, not the infrastructure's. */
    public boolean isOpen(UUID runId) {
        return open.containsKey(runId);
    }

    /**
     * A failure while the run was open: drops it and counts the failed try; parks it for its back-off, or fails
     * it when its tries are spent. Throws when even that cannot be recorded (the database is away), which the
     * consumer treats as an infrastructure failure.
     */
    public void runFailed(UUID runId, Exception failure) {
        OpenRun run = open.get(runId);
        if (run == null) {
            return;
        }
        String reason = FailureReason.of(failure);
        long rows = run.current().stream().mapToLong(a -> a.spill.rows()).sum();
        UUID attemptId = run.latest == null ? null : run.latest.attemptId;
        discard(run);
        tries.failed(STAGE, runId, reason);
        if (!retry.mayRetry(run.tries)) {
            LOG.warnf(
                    failure, "run %s: try %d of %d failed; giving up: %s", runId, run.tries, retry.maxTries(), reason);
            deleteStaged(runId);
            fail(runId, attemptId, rows, "gave up after " + run.tries + " tries: " + reason);
            return;
        }
        Duration wait = retry.backoff(run.tries);
        parked.put(
                runId,
                new Parked(
                        runId,
                        run.partition,
                        run.firstOffset,
                        run.tries,
                        reason,
                        Instant.now().plus(wait)));
        LOG.warnf(
                failure,
                "run %s: try %d of %d failed, next try in %d ms: %s",
                runId,
                run.tries,
                retry.maxTries(),
                wait.toMillis(),
                reason);
    }

    /**
     * Parked runs whose back-off has passed, taken off the parked list: the consumer rewinds each one's
     * partition to its first record. A run cancelled meanwhile is recorded as such instead and not returned.
     */
    public List<Parked> dueRetries(Instant now) {
        List<Parked> due = new ArrayList<>();
        for (Parked p : new ArrayList<>(parked.values())) {
            if (cancellations.isCancelledNow(p.runId())) {
                parked.remove(p.runId());
                recordCancelled(p.runId(), null, 0);
            } else if (!p.nextTryAt().isAfter(now)) {
                parked.remove(p.runId());
                due.add(p);
            }
        }
        return due;
    }

    /** The run's pending retry, if it is parked here. */
    public Optional<Parked> retrying(UUID runId) {
        return Optional.ofNullable(parked.get(runId));
    }

    /** Best effort: a failed run leaves nothing in the staging bucket (retention only sweeps completed runs). */
    private void deleteStaged(UUID runId) {
        try {
            staging.deletePrefix(StagingLayout.runPrefix(runId));
        } catch (RuntimeException e) {
            LOG.debugf("staged objects of failed run %s not deleted: %s", runId, e.getMessage());
        }
    }

    /** Progress of a run being written, if it is open in this instance. */
    public Optional<Progress> progress(UUID runId) {
        OpenRun run = open.get(runId);
        if (run == null) {
            return Optional.empty();
        }
        Attempt attempt = run.latest;
        if (attempt == null) {
            return Optional.empty();
        }
        long rows = 0;
        long bytes = 0;
        long rejected = 0;
        for (Attempt a : run.current()) {
            rows += a.spill.rows();
            bytes += a.spill.bytesSoFar();
            rejected += a.rejected;
        }
        return Optional.of(new Progress(runId, attempt.attemptId, rows, bytes, rejected));
    }

    private void started(ProfileStreamStarted event, int partition, long offset) throws IOException {
        UUID runId = event.runId();
        OpenRun run = open.get(runId);
        if (run == null) {
            if (parked.containsKey(runId)) {
                return; // waiting for its next try: read again from its first record when that comes
            }
            if (isFinished(runId)) {
                LOG.debugf("run %s is already finished; skipping its replayed stream", runId);
                return;
            }
            if (cancellations.isCancelled(runId)) {
                recordCancelled(runId, event.attemptId(), 0);
                return;
            }
            int tried = tries.begin(STAGE, runId);
            if (tried > retry.maxTries()) {
                // Every start is a try: a run whose work keeps killing the process ends here, not in a crash loop.
                String last = tries.lastError(STAGE, runId).orElse("the service stopped while writing it");
                fail(runId, event.attemptId(), 0, "gave up after " + (tried - 1) + " tries: " + last);
                return;
            }
            run = new OpenRun(runId, partition, offset, event.slicesOrOne(), tried);
            byPartition.computeIfAbsent(partition, p -> new LinkedHashMap<>()).put(runId, run);
            open.put(runId, run);
            // A retried run keeps its first start: its duration is what the operator waited.
            startedAt.putIfAbsent(runId, System.nanoTime());
        }
        if (run.attempts.containsKey(event.attemptId())) {
            return; // a repeated start of an attempt already being written
        }
        int slice = event.sliceOrZero();
        int slices = event.slicesOrOne();
        if (slices < 1 || slice < 0 || slice >= slices || run.slices != slices) {
            discard(run);
            fail(
                    runId,
                    event.attemptId(),
                    0,
                    "slice " + slice + " of " + slices + " does not fit the run's " + run.slices + " slices");
            return;
        }
        if (run.completed.containsKey(slice)) {
            return; // the slice already has its completed attempt; a later one streams the same profiles again
        }
        RunPlan plan;
        try {
            // Parsed and checked once per attempt; the run date comes from the event, so a replay renders the same.
            plan = RunPlan.of(
                    event.spec(),
                    event.fields(),
                    event.campaignName(),
                    event.campaignId() == null ? null : event.campaignId().toString(),
                    runId.toString(),
                    LocalDate.ofInstant(
                            event.requestedAt() == null ? Instant.now() : event.requestedAt(), ZoneOffset.UTC),
                    config.neutraliseFormulas());
        } catch (PlanException e) {
            discard(run);
            fail(runId, event.attemptId(), 0, e.getMessage());
            return;
        }
        Path dir = config.spillDir()
                .resolve(runId.toString())
                .resolve(event.attemptId().toString());
        RowSpill spill = new RowSpill(dir.resolve("rows"), plan.order(), config.sortChunkRows());
        Attempt attempt = new Attempt(event.attemptId(), slice, event, plan, spill, dir);
        run.attempts.put(event.attemptId(), attempt);
        run.latest = attempt;
        ledger.started(runId, event.attemptId());
        LOG.infof(
                "run %s: writing attempt %s (slice %d of %d, %d columns, try %d)",
                runId, event.attemptId(), slice, slices, plan.columns().size(), run.tries);
    }

    private void streamed(ProfilesStreamed batch) throws IOException {
        List<String> ids = batch.profileIds();
        List<List<String>> values = batch.values();
        if (ids == null || values == null || ids.size() != values.size()) {
            // Counted as missing rows: the completion marker's count then fails the run with the reason.
            LOG.warnf(
                    "run %s: a profile batch from seq %d is malformed and was dropped",
                    batch.runId(), batch.firstSeq());
            return;
        }
        Attempt attempt = attempt(batch.runId(), batch.attemptId());
        if (attempt == null) {
            return; // an interrupted attempt whose start was dropped, or a finished run
        }
        // Counted per batch from the attempt's own counts, so the row loop stays as it was.
        long rowsBefore = attempt.spill.rows();
        long rejectedBefore = attempt.rejected;
        try {
            for (int i = 0; i < values.size(); i++) {
                if (!row(batch.runId(), batch.attemptId(), batch.firstSeq() + i, values.get(i))) {
                    return;
                }
            }
        } finally {
            rowsRendered.increment(attempt.spill.rows() - rowsBefore);
            rowsRejected.increment(attempt.rejected - rejectedBefore);
        }
    }

    /** One profile of an attempt; false when the rest of its batch can be skipped (unknown attempt, run failed). */
    private boolean row(UUID runId, UUID attemptId, long seq, List<String> values) throws IOException {
        Attempt attempt = attempt(runId, attemptId);
        if (attempt == null) {
            return false; // an interrupted attempt whose start was dropped, or a finished run
        }
        if (seq <= attempt.lastSeq) {
            return true; // a producer retry
        }
        OpenRun run = open.get(runId);
        if (run.completed.containsKey(attempt.slice)) {
            return false; // a losing attempt of a slice that already completed (its files are being discarded)
        }
        attempt.lastSeq = seq;
        attempt.processed++;
        if ((attempt.processed & 1023) == 0) {
            watch.progressed();
            if (cancellations.isCancelledNow(runId)) {
                long rows =
                        run.current().stream().mapToLong(a -> a.spill.rows()).sum();
                discard(run);
                recordCancelled(runId, attemptId, rows);
                return false;
            }
            reportProgress(run);
        }
        String[] cells;
        try {
            cells = attempt.plan.render(seq, values);
        } catch (RowFailure e) {
            discard(run);
            fail(runId, attempt.attemptId, attempt.spill.rows(), e.getMessage());
            return false;
        }
        if (cells == null) {
            attempt.rejected++;
            if (attempt.rejections.size() < RunManifest.MAX_REJECTIONS) {
                attempt.rejections.add(attempt.plan.rejection());
            }
            return true;
        }
        attempt.spill.append(attempt.plan.row(((long) attempt.slice << SLICE_SHIFT) | seq, cells));
        return true;
    }

    /** Where a row's slice sits in its spill sequence: 2^40 rows per slice attempt is beyond any audience. */
    private static final int SLICE_SHIFT = 40;

    /** At most one progress event a second per run (the kit's {@link ProgressPace}). */
    private void reportProgress(OpenRun run) {
        if (!run.progressPace.due()) {
            return;
        }
        long received = 0;
        long written = 0;
        for (Attempt a : run.current()) {
            received += a.processed;
            written += a.spill.rows();
        }
        progressPublisher.publish(
                Topics.EXTRACTION_EVENTS, run.runId, new ExtractionProgressed(run.runId, received, written));
    }

    private void completed(ProfileStreamCompleted event) throws IOException {
        Attempt attempt = attempt(event.runId(), event.attemptId());
        if (attempt == null) {
            return; // a repeated marker, or the marker of an attempt we never saw start
        }
        OpenRun run = open.get(event.runId());
        UUID runId = event.runId();
        if (run.completed.get(attempt.slice) == attempt) {
            return; // the winning attempt's marker read again (a partition rewound for another run's retry)
        }
        if (run.completed.containsKey(attempt.slice)) {
            discardAttempt(run, attempt);
            return; // the slice already has its completed attempt: first completed wins
        }
        if (attempt.processed != event.streamed()) {
            discard(run);
            fail(
                    runId,
                    attempt.attemptId,
                    attempt.spill.rows(),
                    "row count mismatch: the profile stream announced " + event.streamed() + " rows but "
                            + attempt.processed + " arrived");
            return;
        }
        run.completed.put(attempt.slice, attempt);
        // Other attempts of this slice were interrupted: their rows will never count.
        for (Attempt other : new ArrayList<>(run.attempts.values())) {
            if (other.slice == attempt.slice && other != attempt) {
                discardAttempt(run, other);
            }
        }
        if (run.completed.size() < run.slices) {
            LOG.infof(
                    "run %s: slice %d of %d complete (%d rows)",
                    runId, attempt.slice, run.slices, attempt.spill.rows());
            return;
        }
        finish(run);
    }

    /** Every slice has its completed attempt: writes the parts, stages them and the manifest, records the run. */
    private void finish(OpenRun run) throws IOException {
        UUID runId = run.runId;
        Attempt attempt = run.completed.get(0);
        if (runs.exists(runId)) {
            // Finished meanwhile by another instance (rebalance): do not overwrite the files it announced.
            discard(run);
            finished.put(runId, Boolean.TRUE);
            return;
        }
        if (cancellations.isCancelled(runId)) {
            discard(run);
            recordCancelled(runId, attempt.attemptId, 0);
            return;
        }
        RunPlan plan = attempt.plan;
        Path out = Files.createDirectories(attempt.dir.resolve("parts"));
        List<FileAssembler.Part> parts;
        List<RowSpill.RowIterator> sources = new ArrayList<>();
        long rows = 0;
        long rejected = 0;
        List<String> rejections = new ArrayList<>();
        for (Attempt slice : run.completed.values()) {
            sources.add(slice.spill.read());
            rows += slice.spill.rows();
            rejected += slice.rejected;
            slice.rejections.stream()
                    .limit(RunManifest.MAX_REJECTIONS - rejections.size())
                    .forEach(rejections::add);
        }
        String prefix = StagingLayout.runPrefix(runId);
        String contentType = FileContentType.of(plan.layout());
        long received =
                run.completed.values().stream().mapToLong(a -> a.processed).sum();
        StagingProgress progress = new StagingProgress(runId, received, rows);
        // A part is uploaded while the next one is written: part n goes to staging when part n+1 opens (the
        // assembler has closed part n by then), the last one after the assembler returns. All are in staging
        // before the manifest, and nothing is announced before every upload has succeeded.
        // Hand-made, not a managed pool: one thread keeps uploads one at a time in part order, and shutdownNow
        // stops the uploads still queued when the finish fails; the thread lives only as long as this finish.
        ExecutorService handoff = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "staging-part-handoff");
            t.setDaemon(true);
            return t;
        });
        Path contacts = attempt.dir.resolve("contacts.csv");
        try {
            Map<Integer, String> names = new HashMap<>();
            List<Future<?>> uploads = new ArrayList<>();
            try (RowSpill.RowIterator combined = RowSpill.combine(sources, plan.order());
                    Placements placements = new Placements(contacts, run.completed)) {
                parts = FileAssembler.write(
                        plan,
                        combined,
                        (number, name) -> {
                            watch.progressed();
                            names.put(number, name);
                            if (number > 1) {
                                String previous = names.get(number - 1);
                                uploads.add(handoff.submit(() -> stage(
                                        out.resolve((number - 1) + ".part"),
                                        StagingLayout.partKey(runId, previous),
                                        contentType,
                                        progress)));
                            }
                            return new BufferedOutputStream(
                                    Files.newOutputStream(out.resolve(number + ".part")), 64 * 1024);
                        },
                        true,
                        placements);
            } catch (PartNameException e) {
                // The same rows would collide again on every try: the run fails now, with the reason, and leaves
                // nothing staged (the uploads already handed off are let finish first, then deleted).
                for (Future<?> upload : uploads) {
                    try {
                        awaitUpload(upload);
                    } catch (IOException | RuntimeException ignored) {
                        // Deleted below whatever happened.
                    }
                }
                discard(run);
                deleteStaged(runId);
                fail(runId, attempt.attemptId, rows, e.getMessage());
                return;
            }
            if (!parts.isEmpty()) {
                int last = parts.size();
                String key = StagingLayout.partKey(runId, names.get(last));
                uploads.add(handoff.submit(() -> stage(out.resolve(last + ".part"), key, contentType, progress)));
            }
            // Where each profile row went, for the audience-service's contact history: staged, never delivered.
            // Uploaded here, on this thread, while the hand-off thread uploads the last part: it adds no wait.
            staging.upload(contacts, StagingLayout.contactsKey(runId), FileContentType.CONTACTS_CSV);
            for (Future<?> upload : uploads) {
                awaitUpload(upload);
                watch.progressed();
            }
            progress.publish(true); // the last part is staged: the final figures, whatever the rate limit
        } finally {
            handoff.shutdownNow();
        }
        List<StagedFile> files = new ArrayList<>();
        List<RunManifest.PartEntry> entries = new ArrayList<>();
        long seedRows = 0;
        long bytes = 0;
        for (FileAssembler.Part part : parts) {
            String key = StagingLayout.partKey(runId, part.name());
            files.add(new StagedFile(part.name(), staging.bucket(), key, part.rows(), part.bytes(), part.sha256()));
            entries.add(new RunManifest.PartEntry(
                    part.number(),
                    part.name(),
                    key,
                    part.rows(),
                    part.seedRows(),
                    part.bytes(),
                    part.sha256(),
                    part.splitValue()));
            seedRows += part.seedRows();
            bytes += part.bytes();
        }
        Layout layout = plan.layout();
        RunManifest manifest = new RunManifest(
                RunManifest.SCHEMA_VERSION,
                runId,
                attempt.started.campaignId(),
                attempt.started.campaignName(),
                Instant.now(),
                new RunManifest.Format(
                        layout.type().name(),
                        layout.encoding().name(),
                        layout.compression().name(),
                        layout.lineEnding().equals("\n") ? "LF" : "CRLF"),
                entries,
                new RunManifest.Totals(parts.size(), rows, seedRows, rejected, plan.transliterated(), bytes),
                rejections);
        StagedFile triggerFile = null;
        if (layout.manifestCsv()) {
            Path csv = attempt.dir.resolve("manifest.csv");
            Files.writeString(csv, manifest.toCsv(), StandardCharsets.UTF_8);
            staging.upload(csv, StagingLayout.manifestCsvKey(runId), FileContentType.MANIFEST_CSV);
            byte[] csvBytes = Files.readAllBytes(csv);
            triggerFile = new StagedFile(
                    NameTemplate.manifestCsvName(plan.fileName()),
                    staging.bucket(),
                    StagingLayout.manifestCsvKey(runId),
                    rows,
                    csvBytes.length,
                    sha256(csvBytes));
        }
        Path json = attempt.dir.resolve("manifest.json");
        Files.write(json, mapper.writeValueAsBytes(manifest));
        String manifestKey = StagingLayout.manifestJsonKey(runId);
        // Uploaded after every part: a manifest in the bucket means its parts are there.
        staging.upload(json, manifestKey, FileContentType.MANIFEST_JSON);
        byte[] manifestBytes = Files.readAllBytes(json);
        StagedFile manifestFile = new StagedFile(
                NameTemplate.manifestJsonName(plan.fileName()),
                staging.bucket(),
                manifestKey,
                rows,
                manifestBytes.length,
                sha256(manifestBytes));
        ExtractedRun record = new ExtractedRun(
                runId,
                attempt.attemptId,
                ExtractedRun.Status.COMPLETED,
                rows,
                files.isEmpty() ? null : files.get(0).key(),
                bytes,
                files.size() == 1 ? files.get(0).sha256() : null,
                null,
                Instant.now(),
                parts.size(),
                seedRows,
                rejected,
                manifestKey);
        if (cancellations.isCancelled(runId)) {
            // Cancelled while its files were written: nothing is announced, and nothing stays staged.
            discard(run);
            deleteStaged(runId);
            recordCancelled(runId, attempt.attemptId, rows);
            return;
        }
        boolean recorded = ledger.completed(
                record,
                new ExtractionCompleted(
                        runId,
                        attempt.started.campaignId(),
                        attempt.started.spec().routingId(),
                        rows,
                        files,
                        manifestFile,
                        seedRows,
                        rejected,
                        triggerFile,
                        plan.folder()));
        discard(run);
        finished.put(runId, Boolean.TRUE);
        if (recorded) {
            ended(runId, "completed");
            LOG.infof(
                    "run %s: staged %d rows in %d parts, %d bytes under %s (%d rejected)",
                    runId, rows, parts.size(), bytes, prefix, rejected);
        }
    }

    /**
     * Writes the run's placements ({@link ContactPlacements}) as the parts are written: one line per profile row,
     * naming it by its attempt and its seq in that attempt's stream. Both come from the row's spill sequence
     * ({@code slice << 40 | seq}) and the slice's winning attempt, so the spill carries nothing more per row. The
     * part's end of the line is built once per part.
     */
    private static final class Placements implements FileAssembler.PlacementSink, Closeable {
        private final Writer out;
        /** {@code "<attemptId>,"} of each slice's winning attempt, by slice. */
        private final String[] heads;

        private String partName;
        private int partNumber;
        private String tail;

        Placements(Path file, Map<Integer, Attempt> completed) throws IOException {
            int slices = completed.keySet().stream().mapToInt(i -> i).max().orElse(0) + 1;
            heads = new String[slices];
            completed.forEach((slice, a) -> heads[slice] = a.attemptId + ",");
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            out.write(ContactPlacements.HEADER);
            out.write('\n');
        }

        @Override
        public void placed(Row row, String name, int part, String splitValue) throws IOException {
            if (part != partNumber || !name.equals(partName)) {
                partName = name;
                partNumber = part;
                tail = ContactPlacements.tail(name, part, splitValue);
            }
            long seq = row.seq();
            out.write(heads[(int) (seq >>> SLICE_SHIFT)]);
            out.write(Long.toString(seq & SEQ_MASK));
            out.write(tail);
            out.write('\n');
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** The stream's own seq in a row's spill sequence. */
    private static final long SEQ_MASK = (1L << SLICE_SHIFT) - 1;

    /** Uploads one part and counts it once the bucket has it: the staging counters move part by part. */
    private void stage(Path part, String key, String contentType, StagingProgress progress) {
        long size;
        try {
            size = Files.size(part);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + part.getFileName(), e);
        }
        staging.upload(part, key, contentType);
        stagedBytes.increment(size);
        stagedParts.increment();
        progress.staged(size);
    }

    /**
     * The parts of one finish staged so far, sent as {@link ExtractionProgressed} at most once a second (like the
     * rows before them) and once more when the last part is staged. Counted by the upload thread, read by the
     * consumer thread for the last one.
     */
    private final class StagingProgress {
        private final UUID runId;
        private final long received;
        private final long rows;
        private final AtomicLong parts = new AtomicLong();
        private final AtomicLong bytes = new AtomicLong();
        private final ProgressPace pace = new ProgressPace();

        StagingProgress(UUID runId, long received, long rows) {
            this.runId = runId;
            this.received = received;
            this.rows = rows;
        }

        void staged(long size) {
            bytes.addAndGet(size);
            parts.incrementAndGet();
            publish(false);
        }

        void publish(boolean last) {
            if (last) {
                pace.sent();
            } else if (!pace.due()) {
                return;
            }
            progressPublisher.publish(
                    Topics.EXTRACTION_EVENTS,
                    runId,
                    new ExtractionProgressed(runId, received, rows, parts.get(), bytes.get()));
        }
    }

    /** Waits for one staging upload; its failure fails the run's finish as if it had run on this thread. */
    private static void awaitUpload(Future<?> upload) throws IOException {
        try {
            upload.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while staging parts");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IOException("staging upload failed", e.getCause());
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The run was cancelled: drop its spill files and remember it as finished, staging nothing. */
    private void cancelled(ProfileStreamCancelled event) {
        long rows = letGo(event.runId());
        if (rows >= 0) {
            recordCancelled(event.runId(), event.attemptId(), rows);
        }
    }

    /**
     * The audience-service gave up on the run: drop whatever was written and record it FAILED here too, without
     * an event (the campaign-service has the audience's).
     */
    private void abandoned(ProfileStreamAbandoned event) {
        UUID runId = event.runId();
        long rows = letGo(runId);
        if (rows < 0) {
            return;
        }
        ledger.abandoned(ExtractedRun.failed(runId, null, rows, "resolution failed: " + event.reason()));
        finished.put(runId, Boolean.TRUE);
        ended(runId, "failed");
        LOG.infof("run %s abandoned by the audience-service after %d rows; nothing staged", runId, rows);
    }

    /**
     * Ends the run's stream here: forgets it (parked or open, spill files deleted) and returns how many rows it
     * had, or -1 when it was already finished (nothing to record).
     */
    private long letGo(UUID runId) {
        parked.remove(runId);
        if (isFinished(runId)) {
            return -1;
        }
        OpenRun run = open.get(runId);
        if (run == null) {
            return 0;
        }
        long rows = run.current().stream().mapToLong(a -> a.spill.rows()).sum();
        discard(run);
        return rows;
    }

    /** Records the run as cancelled and finished here: it is never written, parked or staged again. */
    private void recordCancelled(UUID runId, UUID attemptId, long rows) {
        ledger.cancelled(ExtractedRun.cancelled(runId, attemptId, rows));
        finished.put(runId, Boolean.TRUE);
        ended(runId, "cancelled");
        LOG.infof("run %s cancelled after %d rows; nothing staged", runId, rows);
    }

    private void fail(UUID runId, UUID attemptId, long rows, String reason) {
        boolean recorded = ledger.failed(ExtractedRun.failed(runId, attemptId, rows, reason));
        finished.put(runId, Boolean.TRUE);
        if (recorded) {
            ended(runId, "failed");
            LOG.warnf("run %s failed: %s", runId, reason);
        }
    }

    private Attempt attempt(UUID runId, UUID attemptId) {
        OpenRun run = open.get(runId);
        return run == null ? null : run.attempts.get(attemptId);
    }

    private boolean isFinished(UUID runId) {
        if (finished.containsKey(runId)) {
            return true;
        }
        if (runs.exists(runId)) {
            finished.put(runId, Boolean.TRUE);
            return true;
        }
        return false;
    }

    /** Closes a run's spill files, deletes them and forgets the run. */
    private void discard(OpenRun run) {
        Map<UUID, OpenRun> runsOfPartition = byPartition.get(run.partition);
        if (runsOfPartition != null) {
            runsOfPartition.remove(run.runId);
        }
        open.remove(run.runId);
        run.attempts.values().forEach(a -> a.spill.close());
        deleteTree(config.spillDir().resolve(run.runId.toString()));
    }

    /** Closes and deletes one attempt's spill files and forgets the attempt. */
    private void discardAttempt(OpenRun run, Attempt attempt) {
        run.attempts.remove(attempt.attemptId);
        attempt.spill.close();
        deleteTree(attempt.dir);
        if (run.latest == attempt) {
            run.latest = run.attempts.values().stream().findAny().orElse(null);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    /** How far an open run's latest attempt got. */
    public record Progress(UUID runId, UUID attemptId, long rowsWritten, long bytes, long rejectedRows) {}

    /**
     * A run waiting for its next try after a failure.
     *
     * @param firstOffset the offset of its first record, where its partition is rewound
     * @param tries the tries it has had
     * @param reason why the last one failed
     */
    public record Parked(UUID runId, int partition, long firstOffset, int tries, String reason, Instant nextTryAt) {}

    /** A run started but not finished, with every attempt seen so far. */
    private static final class OpenRun {
        final UUID runId;
        final int partition;
        final long firstOffset;
        final int slices;
        /** Which try of the run this is (counted in the database, across restarts). */
        final int tries;

        final Map<UUID, Attempt> attempts = new ConcurrentHashMap<>();
        /** The winning (first completed) attempt of each slice, in slice order. Written by the consumer thread. */
        final Map<Integer, Attempt> completed = new ConcurrentSkipListMap<>();

        volatile Attempt latest;
        final ProgressPace progressPace = new ProgressPace();

        OpenRun(UUID runId, int partition, long firstOffset, int slices, int tries) {
            this.runId = runId;
            this.partition = partition;
            this.firstOffset = firstOffset;
            this.slices = slices;
            this.tries = tries;
        }

        /** The attempt that counts for each slice so far: its completed one, else its latest one. */
        List<Attempt> current() {
            Map<Integer, Attempt> bySlice = new HashMap<>();
            for (Attempt a : attempts.values()) {
                bySlice.merge(a.slice, a, (x, y) -> x.seenAt >= y.seenAt ? x : y);
            }
            bySlice.putAll(completed);
            return new ArrayList<>(bySlice.values());
        }
    }

    /** One resolution attempt being written. Mutable fields: consumer thread only (progress reads are racy but harmless). */
    private static final class Attempt {
        final UUID attemptId;
        final int slice;
        final long seenAt = System.nanoTime();
        final ProfileStreamStarted started;
        final RunPlan plan;
        final RowSpill spill;
        final Path dir;
        final List<String> rejections = new ArrayList<>();
        long lastSeq;
        long processed;
        volatile long rejected;

        Attempt(UUID attemptId, int slice, ProfileStreamStarted started, RunPlan plan, RowSpill spill, Path dir) {
            this.attemptId = attemptId;
            this.slice = slice;
            this.started = started;
            this.plan = plan;
            this.spill = spill;
            this.dir = dir;
        }
    }
}
