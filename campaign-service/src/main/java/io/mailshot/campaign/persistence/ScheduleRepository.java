package io.mailshot.campaign.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Campaign schedules, and the claim of due occurrences across replicas. */
@ApplicationScoped
public class ScheduleRepository implements PanacheRepositoryBase<ScheduleEntity, UUID> {

    /**
     * Locks up to {@code limit} due schedules. SKIP LOCKED: a schedule another replica is firing right now
     * is not seen here, so each occurrence fires exactly once.
     */
    @SuppressWarnings("unchecked")
    public List<ScheduleEntity> claimDue(int limit) {
        return getEntityManager()
                .createNativeQuery(
                        "select * from campaign_schedule where next_fire_at <= now()"
                                + " and (retry_at is null or retry_at <= now())"
                                + " order by next_fire_at limit ?1 for update skip locked",
                        ScheduleEntity.class)
                .setParameter(1, limit)
                .getResultList();
    }

    /** Locks this campaign's schedule if it is due and not locked by another transaction. */
    public Optional<ScheduleEntity> claimIfDue(UUID campaignId) {
        List<?> rows = getEntityManager()
                .createNativeQuery(
                        "select * from campaign_schedule where campaign_id = ?1"
                                + " and next_fire_at <= now() for update skip locked",
                        ScheduleEntity.class)
                .setParameter(1, campaignId)
                .getResultList();
        return rows.stream().map(ScheduleEntity.class::cast).findFirst();
    }
}
