package io.mailshot.audience.service.history;

import io.mailshot.audience.client.StagingBucket;
import io.mailshot.audience.config.AudienceConfig;
import io.mailshot.audience.persistence.ContactHistoryRepository;
import io.mailshot.audience.persistence.ContactHistoryRepository.ContactPage;
import io.mailshot.audience.persistence.ContactHistoryRepository.PlacementSink;
import io.mailshot.audience.persistence.ContactHistoryRepository.Recorded;
import io.mailshot.audience.persistence.RunMemberRepository;
import io.mailshot.events.files.ContactPlacements;
import io.mailshot.events.files.StagingLayout;
import io.mailshot.kit.persistence.ProcessedEvents;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The contact history: records a delivered run's contacts exactly once (its mailed rows with the file, part and cell
 * the extraction placed them in, and its held-out members), and reads a profile's or a campaign's history back.
 */
@ApplicationScoped
public class ContactHistory {

    private static final Logger LOG = Logger.getLogger(ContactHistory.class);
    /** This consumer's name in the processed-event log. */
    static final String CONSUMER = "audience-service.contact-history";
    /** Longest placement line read: file names and cells are short; a longer line is a broken object. */
    private static final int MAX_LINE = 64 * 1024;
    /** How often at most a replica deletes members of runs never delivered. */
    private static final long SWEEP_EVERY_MILLIS = 3_600_000;

    private final ContactHistoryRepository history;
    private final RunMemberRepository members;
    private final StagingBucket staging;
    private final ProcessedEvents processed;
    private final AudienceConfig config;
    private final AtomicLong lastSweep = new AtomicLong();

    public ContactHistory(
            ContactHistoryRepository history,
            RunMemberRepository members,
            StagingBucket staging,
            ProcessedEvents processed,
            AudienceConfig config) {
        this.history = history;
        this.members = members;
        this.staging = staging;
        this.processed = processed;
        this.config = config;
    }

    /**
     * Records the contacts of run {@code runId}, delivered at {@code deliveredAt}, in one transaction with the
     * event's processed marker: a replayed or duplicated event records nothing twice, a crash records all or
     * nothing. The placements are streamed from the staging bucket into the database, never held. A long
     * transaction timeout: a run of millions of placements takes more than the default minute to copy.
     */
    @Transactional
    @TransactionConfiguration(timeout = 3600)
    public void recordDelivered(String eventId, UUID runId, Instant deliveredAt) throws Exception {
        if (!processed.firstTime(CONSUMER, eventId)) {
            LOG.infof("run %s: delivery event %s already processed; contact history unchanged", runId, eventId);
            return;
        }
        Optional<Recorded> recorded = history.record(runId, deliveredAt, sink -> feed(runId, sink));
        if (recorded.isEmpty()) {
            LOG.infof(
                    "run %s: contact history not recorded again (already recorded, or no members were recorded"
                            + " when it was resolved)",
                    runId);
            return;
        }
        Recorded r = recorded.get();
        if (!r.staged()) {
            LOG.warnf(
                    "run %s: no placements staged (older extraction, or purged by the staging retention); %d mailed"
                            + " members recorded without file or part, %d held out",
                    runId, r.mailed(), r.heldOut());
        } else if (r.mailed() != r.placements()) {
            LOG.warnf(
                    "run %s: %d of %d placements named no member of the run (members aged out?); %d mailed"
                            + " recorded, %d held out",
                    runId, r.placements() - r.mailed(), r.placements(), r.mailed(), r.heldOut());
        } else {
            LOG.infof("run %s: contact history recorded: %d mailed, %d held out", runId, r.mailed(), r.heldOut());
        }
    }

    /**
     * Deletes members of runs never delivered, at most once an hour per replica (a scan of a table that holds only
     * runs in flight). Called after a recording, outside its transaction.
     */
    public void sweepIfDue() {
        long now = System.currentTimeMillis();
        long last = lastSweep.get();
        if (now - last < SWEEP_EVERY_MILLIS || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        try {
            int deleted = members.deleteOlderThan(config.history().memberRetention());
            if (deleted > 0) {
                LOG.infof(
                        "deleted %d members of runs not delivered within %s",
                        deleted, config.history().memberRetention());
            }
        } catch (SQLException e) {
            LOG.warnf("could not delete members of runs never delivered (tried again later): %s", e.getMessage());
        }
    }

    /** Why the staging bucket does not answer (the error's type), or empty when it does. */
    public Optional<String> stagingProblem() {
        try {
            staging.check();
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of(e.getClass().getSimpleName());
        }
    }

    /** Streams the run's staged placements into the sink; false when none are staged. */
    private boolean feed(UUID runId, PlacementSink sink) throws IOException, SQLException {
        Optional<InputStream> object = staging.open(StagingLayout.contactsKey(runId));
        if (object.isEmpty()) {
            return false;
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                object.get(),
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)))) {
            String header = in.readLine();
            if (header == null || !header.equals(ContactPlacements.HEADER)) {
                throw new IllegalStateException("run " + runId + ": the staged placements do not start with the header "
                        + ContactPlacements.HEADER);
            }
            long number = 1;
            StringBuilder record = new StringBuilder();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                number++;
                record.append(line);
                // A quoted file name or cell may hold a line break: the record goes on until its quotes close.
                if (quotes(record) % 2 != 0) {
                    if (record.length() > MAX_LINE) {
                        throw new IllegalStateException("run " + runId + ": placement line " + number + " is too long");
                    }
                    record.append('\n');
                    continue;
                }
                ContactPlacements.Placement p;
                try {
                    p = ContactPlacements.parse(record.toString());
                } catch (IllegalArgumentException e) {
                    // The line holds no profile data (ids, numbers, file names): its number and the reason suffice.
                    throw new IllegalStateException(
                            "run " + runId + ": placement line " + number + " is not readable: " + e.getMessage(), e);
                }
                sink.add(p.attemptId(), p.seq(), p.file(), p.part(), p.cell());
                record.setLength(0);
            }
            if (!record.isEmpty()) {
                throw new IllegalStateException("run " + runId + ": the staged placements end inside a quoted value");
            }
        }
        return true;
    }

    private static int quotes(CharSequence s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '"') {
                n++;
            }
        }
        return n;
    }

    /** One page of a profile's contacts, newest first. */
    public ContactPage profileContacts(String namespace, String identity, int page, int size) throws SQLException {
        return history.profileContacts(namespace, identity, page, size);
    }

    /** Writes a campaign's whole history as CSV to {@code out}, streamed from a cursor (see {@link ContactCsv}). */
    public void writeCampaignCsv(UUID campaignId, OutputStream out) throws Exception {
        ContactCsv csv = new ContactCsv(out);
        csv.header();
        history.forEachOfCampaign(campaignId, config.history().exportFetchSize(), csv::row);
        csv.flush();
    }
}
