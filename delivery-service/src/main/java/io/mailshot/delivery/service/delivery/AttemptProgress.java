package io.mailshot.delivery.service.delivery;

import io.mailshot.events.DeliveryProgressed;
import io.mailshot.events.StagedFile;
import io.mailshot.events.Topics;
import io.mailshot.kit.messaging.ProgressPace;
import io.mailshot.kit.messaging.ProgressPublisher;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One delivery attempt's progress, counted as the transports copy staged bytes and sent as
 * {@link DeliveryProgressed} at most once a second, then once more when the attempt has written every file. The
 * transports may copy from several threads: the figures are atomic, and the pace is shared.
 */
final class AttemptProgress implements DeliveryJob.Progress {

    private final ProgressPublisher publisher;
    private final UUID runId;
    private final int attempt;
    private final int files;
    private final long bytes;
    private final AtomicInteger written = new AtomicInteger();
    private final AtomicLong read = new AtomicLong();
    private final ProgressPace pace = new ProgressPace();

    AttemptProgress(ProgressPublisher publisher, UUID runId, int attempt, DeliveryJob job) {
        this.publisher = publisher;
        this.runId = runId;
        this.attempt = attempt;
        this.files = job.inOrder().size();
        this.bytes = job.inOrder().stream().mapToLong(StagedFile::bytes).sum();
    }

    @Override
    public void read(long count) {
        read.addAndGet(count);
        maybePublish();
    }

    @Override
    public void fileWritten() {
        written.incrementAndGet();
        maybePublish();
    }

    /** Every file is written: the attempt's last figures, whatever the rate limit. */
    void finished() {
        pace.sent();
        publish();
    }

    private void maybePublish() {
        if (pace.due()) {
            publish();
        }
    }

    private void publish() {
        publisher.publish(
                Topics.DELIVERY_EVENTS,
                runId,
                new DeliveryProgressed(runId, attempt, written.get(), files, read.get(), bytes));
    }
}
