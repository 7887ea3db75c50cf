package io.mailshot.campaign.service.run;

import io.mailshot.events.AudienceResolutionProgressed;
import io.mailshot.events.DeliveryProgressed;
import io.mailshot.events.ExtractionProgressed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Records the advisory progress events of a run, for progress bars. They are frequent (about once a second
 * per run and slice) and may be lost or repeated, so each is one cheap statement: no processed-event row,
 * no lock on the run. A run the database does not know (another deployment's, or not yet visible) is
 * ignored. The final figures of {@code AudienceResolved} and {@code ExtractionCompleted} win when the run
 * is shown (see {@link RunViews}).
 */
@ApplicationScoped
public class RunProgress {

    // Same attempt: figures are cumulative, so a repeated older event must not move the bar back.
    // Another attempt of the slice: it replaces the slice's figure, even when smaller (a restart).
    private static final String SLICE = "insert into run_progress_slice (run_id, slice, attempt_id, streamed)"
            + " select ?1, ?2, ?3, ?4 where exists (select 1 from run where id = ?1)"
            + " on conflict (run_id, slice) do update set streamed = case"
            + " when run_progress_slice.attempt_id = excluded.attempt_id"
            + " then greatest(run_progress_slice.streamed, excluded.streamed) else excluded.streamed end,"
            + " attempt_id = excluded.attempt_id";

    // A resolution re-split into fewer slices leaves the higher slices of the old split behind.
    private static final String STALE_SLICES = "delete from run_progress_slice where run_id = ?1 and slice >= ?2";

    // The extraction's figures are for the whole run and restart from zero on a rebuild: the latest wins.
    private static final String ROWS =
            "update run set rows_written = ?2, parts_staged = ?3, bytes_staged = ?4 where id = ?1";

    // A delivery attempt's figures are cumulative for the attempt: a later attempt replaces them (even when smaller:
    // the retry starts from zero), an earlier attempt's late figure is ignored, and within one attempt a repeated
    // older figure never moves the bar back.
    private static final String DELIVERY = "update run set delivery_attempt = ?2, files_written = ?3,"
            + " files_to_write = ?4, bytes_delivered = ?5, bytes_to_deliver = ?6 where id = ?1"
            + " and (delivery_attempt is null or delivery_attempt < ?2"
            + " or (delivery_attempt = ?2 and bytes_delivered <= ?5 and files_written <= ?3))";

    private final EntityManager em;

    public RunProgress(EntityManager em) {
        this.em = em;
    }

    @Transactional
    public void audience(AudienceResolutionProgressed progress) {
        if (progress.slice() < 0 || progress.streamed() < 0) {
            return;
        }
        em.createNativeQuery(SLICE)
                .setParameter(1, progress.runId())
                .setParameter(2, progress.slice())
                .setParameter(3, progress.attemptId())
                .setParameter(4, progress.streamed())
                .executeUpdate();
        if (progress.slices() > 0) {
            em.createNativeQuery(STALE_SLICES)
                    .setParameter(1, progress.runId())
                    .setParameter(2, progress.slices())
                    .executeUpdate();
        }
    }

    @Transactional
    public void extraction(ExtractionProgressed progress) {
        if (progress.rowsWritten() < 0) {
            return;
        }
        em.createNativeQuery(ROWS)
                .setParameter(1, progress.runId())
                .setParameter(2, progress.rowsWritten())
                .setParameter(3, atLeastZero(progress.partsStaged()))
                .setParameter(4, atLeastZero(progress.bytesStaged()))
                .executeUpdate();
    }

    /** Null (a producer older than the field) and nonsense alike count as nothing staged yet. */
    private static long atLeastZero(Long value) {
        return value == null ? 0 : Math.max(0, value);
    }

    @Transactional
    public void delivery(DeliveryProgressed progress) {
        if (progress.attempt() < 1
                || progress.filesWritten() < 0
                || progress.bytesRead() < 0
                || progress.files() < 0
                || progress.bytes() < 0) {
            return;
        }
        em.createNativeQuery(DELIVERY)
                .setParameter(1, progress.runId())
                .setParameter(2, progress.attempt())
                .setParameter(3, progress.filesWritten())
                .setParameter(4, progress.files())
                .setParameter(5, progress.bytesRead())
                .setParameter(6, progress.bytes())
                .executeUpdate();
    }
}
