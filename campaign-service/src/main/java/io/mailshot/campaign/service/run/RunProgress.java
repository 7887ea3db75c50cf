package io.mailshot.campaign.service.run;

import io.mailshot.events.AudienceResolutionProgressed;
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
    private static final String ROWS = "update run set rows_written = ?2 where id = ?1";

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
                .executeUpdate();
    }
}
