package io.mailshot.campaign.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Runs and their delivery attempts. */
@ApplicationScoped
public class RunRepository implements PanacheRepositoryBase<RunEntity, UUID> {

    public List<RunEntity> forCampaign(UUID campaignId, int page, int size) {
        return find("campaignId", Sort.descending("requestedAt"), campaignId)
                .page(Page.of(page, size))
                .list();
    }

    /** Locks the run row so concurrent stage events apply one after the other. */
    public Optional<RunEntity> lock(UUID runId) {
        return findByIdOptional(runId, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Profiles streamed so far: the sum over slices of each slice's latest figure (advisory). */
    public Long streamedSoFar(UUID runId) {
        Object sum = getEntityManager()
                .createNativeQuery("select sum(streamed) from run_progress_slice where run_id = ?1")
                .setParameter(1, runId)
                .getSingleResult();
        return sum == null ? null : ((Number) sum).longValue();
    }

    public List<DeliveryAttemptEntity> attempts(UUID runId) {
        return getEntityManager()
                .createQuery(
                        "from DeliveryAttemptEntity where runId = ?1 order by attempt", DeliveryAttemptEntity.class)
                .setParameter(1, runId)
                .getResultList();
    }

    public List<RunFileEntity> files(UUID runId) {
        return getEntityManager()
                .createQuery("from RunFileEntity where runId = ?1 order by part", RunFileEntity.class)
                .setParameter(1, runId)
                .getResultList();
    }

    public void addFile(RunFileEntity file) {
        RunFileEntity.Key key = new RunFileEntity.Key();
        key.runId = file.runId;
        key.part = file.part;
        if (getEntityManager().find(RunFileEntity.class, key) == null) {
            getEntityManager().persist(file);
        }
    }

    public void addAttempt(DeliveryAttemptEntity attempt) {
        DeliveryAttemptEntity.Key key = new DeliveryAttemptEntity.Key();
        key.runId = attempt.runId;
        key.attempt = attempt.attempt;
        if (getEntityManager().find(DeliveryAttemptEntity.class, key) == null) {
            getEntityManager().persist(attempt);
        }
    }
}
