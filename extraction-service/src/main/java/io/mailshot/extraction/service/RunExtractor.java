package io.mailshot.extraction.service;

import io.mailshot.events.ExtractionCompleted;
import io.mailshot.events.FileColumn;
import io.mailshot.events.ProfileStreamCompleted;
import io.mailshot.events.ProfileStreamStarted;
import io.mailshot.events.ProfileStreamed;
import io.mailshot.events.RunSpec;
import io.mailshot.events.StagedFile;
import io.mailshot.extraction.client.StagingBucket;
import io.mailshot.extraction.config.ExtractionConfig;
import io.mailshot.extraction.persistence.ExtractedRun;
import io.mailshot.extraction.persistence.ExtractedRunRepository;
import io.mailshot.kit.messaging.IncomingEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Turns the profile stream into staged files. Keeps, per partition, the runs it has started but not
 * finished (each with its attempts' spill files) and the offset of each run's first record, which bounds
 * what the consumer may commit.
 *
 * <p>Driven by the single consumer thread; only {@link #progress} is called from other threads.
 */
@ApplicationScoped
public class RunExtractor {

    private static final Logger LOG = Logger.getLogger(RunExtractor.class);
    private static final int MAX_FILE_NAME = 255;

    private final ExtractionConfig config;
    private final ExtractionLedger ledger;
    private final ExtractedRunRepository runs;
    private final StagingBucket staging;

    /** Open runs by partition, in order of their first record. Consumer thread only. */
    private final Map<Integer, Map<UUID, OpenRun>> byPartition = new HashMap<>();
    /** The same open runs by id, readable by the REST API. */
    private final Map<UUID, OpenRun> open = new ConcurrentHashMap<>();
    /** Recently finished run ids: a replayed stream is skipped without a database look-up per run. */
    private final Map<UUID, Boolean> finished;

    public RunExtractor(ExtractionConfig config, ExtractionLedger ledger, ExtractedRunRepository runs,
            StagingBucket staging) {
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
            case PROFILE_STREAMED -> streamed(event.data(ProfileStreamed.class));
            case PROFILE_STREAM_COMPLETED -> completed(event.data(ProfileStreamCompleted.class));
            default -> LOG.debugf("ignoring %s on the profile stream", event.type());
        }
    }

    /** The offset of the first record of the oldest unfinished run of the partition, if any. */
    public OptionalLong oldestOpenOffset(int partition) {
        Map<UUID, OpenRun> runsOfPartition = byPartition.get(partition);
        if (runsOfPartition == null || runsOfPartition.isEmpty()) {
            return OptionalLong.empty();
        }
        return runsOfPartition.values().stream().mapToLong(OpenRun::firstOffset).min();
    }

    /** Forgets the partition's unfinished runs and deletes their spill files; they will be replayed. */
    public void drop(int partition) {
        Map<UUID, OpenRun> runsOfPartition = byPartition.remove(partition);
        if (runsOfPartition != null) {
            for (OpenRun run : new ArrayList<>(runsOfPartition.values())) {
                discard(run);
            }
        }
    }

    /** Forgets every unfinished run. */
    public void dropAll() {
        for (Integer partition : new ArrayList<>(byPartition.keySet())) {
            drop(partition);
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
        return Optional.of(new Progress(runId, attempt.attemptId, attempt.spill.rows(), attempt.spill.bytesSoFar()));
    }

    private void started(ProfileStreamStarted event, int partition, long offset) throws IOException {
        UUID runId = event.runId();
        OpenRun run = open.get(runId);
        if (run == null && isFinished(runId)) {
            LOG.debugf("run %s is already finished; skipping its replayed stream", runId);
            return;
        }
        if (run != null && run.attempts.containsKey(event.attemptId())) {
            return; // a repeated start of an attempt already being written
        }
        String problem = specProblem(event.spec(), event.fields());
        if (problem != null) {
            if (run != null) {
                discard(run);
            }
            fail(runId, event.attemptId(), 0, problem);
            return;
        }
        if (run == null) {
            run = new OpenRun(runId, partition, offset);
            byPartition.computeIfAbsent(partition, p -> new LinkedHashMap<>()).put(runId, run);
            open.put(runId, run);
        }
        List<FileColumn> columns = event.spec().columns();
        int[] index = new int[columns.size()];
        for (int i = 0; i < index.length; i++) {
            index[i] = event.fields().indexOf(columns.get(i).path());
        }
        Path path = config.spillDir().resolve(runId.toString()).resolve(event.attemptId() + ".csv");
        SpillFile spill = SpillFile.create(path, columns, index, config.neutraliseFormulas());
        Attempt attempt = new Attempt(event.attemptId(), event, spill);
        run.attempts.put(event.attemptId(), attempt);
        run.latest = attempt;
        ledger.started(runId, event.attemptId());
        LOG.infof("run %s: writing attempt %s (%d columns)", runId, event.attemptId(), columns.size());
    }

    private void streamed(ProfileStreamed event) throws IOException {
        Attempt attempt = attempt(event.runId(), event.attemptId());
        if (attempt != null) {
            // A null attempt is an interrupted attempt whose start was dropped, or a finished run: ignored.
            attempt.spill.append(event.seq(), event.values());
        }
    }

    private void completed(ProfileStreamCompleted event) throws IOException {
        Attempt attempt = attempt(event.runId(), event.attemptId());
        if (attempt == null) {
            return; // a repeated marker, or the marker of an attempt we never saw start
        }
        OpenRun run = open.get(event.runId());
        UUID runId = event.runId();
        long rows = attempt.spill.rows();
        if (rows != event.streamed()) {
            discard(run);
            fail(runId, attempt.attemptId, rows, "row count mismatch: the profile stream announced "
                    + event.streamed() + " rows but " + rows + " arrived");
            return;
        }
        if (runs.exists(runId)) {
            // Finished meanwhile by another instance (rebalance): do not overwrite the file it announced.
            discard(run);
            finished.put(runId, Boolean.TRUE);
            return;
        }
        SpillFile.Summary file = attempt.spill.finish();
        RunSpec spec = attempt.started.spec();
        String key = "runs/" + runId + "/" + spec.fileName();
        staging.upload(file.path(), key);
        StagedFile staged = new StagedFile(spec.fileName(), staging.bucket(), key, file.rows(), file.bytes(),
                file.sha256());
        ExtractedRun record = new ExtractedRun(runId, attempt.attemptId, ExtractedRun.Status.COMPLETED, file.rows(),
                key, file.bytes(), file.sha256(), null, Instant.now());
        boolean recorded = ledger.completed(record, new ExtractionCompleted(runId, attempt.started.campaignId(),
                spec.routingId(), file.rows(), List.of(staged)));
        discard(run);
        finished.put(runId, Boolean.TRUE);
        if (recorded) {
            LOG.infof("run %s: staged %d rows, %d bytes at %s", runId, file.rows(), file.bytes(), key);
        }
    }

    private void fail(UUID runId, UUID attemptId, long rows, String reason) {
        boolean recorded = ledger.failed(new ExtractedRun(runId, attemptId, ExtractedRun.Status.FAILED, rows, null, null,
                null, reason, Instant.now()));
        finished.put(runId, Boolean.TRUE);
        if (recorded) {
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

    /** Why the spec cannot be rendered, or null when it can. Never mentions profile data. */
    static String specProblem(RunSpec spec, List<String> fields) {
        if (spec == null) {
            return "the profile stream carries no file spec";
        }
        String name = spec.fileName();
        if (name == null || name.isBlank()) {
            return "the file name is empty";
        }
        if (name.length() > MAX_FILE_NAME) {
            return "the file name is longer than " + MAX_FILE_NAME + " characters";
        }
        if (name.contains("/") || name.contains("\\")) {
            return "the file name must not contain folders";
        }
        if (name.equals(".") || name.contains("..")) {
            return "the file name must not contain '..'";
        }
        if (name.chars().anyMatch(c -> Character.isISOControl(c))) {
            return "the file name must not contain control characters";
        }
        if (spec.columns() == null || spec.columns().isEmpty()) {
            return "the file has no columns";
        }
        for (FileColumn column : spec.columns()) {
            if (column == null || column.label() == null || column.path() == null) {
                return "a column has no label or no path";
            }
            if (fields == null || !fields.contains(column.path())) {
                return "column '" + column.label() + "' reads '" + column.path()
                        + "', which the profile stream does not carry";
            }
        }
        return null;
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
    public record Progress(UUID runId, UUID attemptId, long rowsWritten, long bytes) {
    }

    /** A run started but not finished, with every attempt seen so far. */
    private static final class OpenRun {
        final UUID runId;
        final int partition;
        final long firstOffset;
        final Map<UUID, Attempt> attempts = new ConcurrentHashMap<>();
        volatile Attempt latest;

        OpenRun(UUID runId, int partition, long firstOffset) {
            this.runId = runId;
            this.partition = partition;
            this.firstOffset = firstOffset;
        }

        long firstOffset() {
            return firstOffset;
        }
    }

    /** One resolution attempt being written. */
    private record Attempt(UUID attemptId, ProfileStreamStarted started, SpillFile spill) {
    }
}
