package io.mailshot.campaign.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
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
        return getEntityManager().createNativeQuery("select * from campaign_schedule where next_fire_at <= now()"
                + " order by next_fire_at limit ?1 for update skip locked", ScheduleEntity.class)
                .setParameter(1, limit).getResultList();
    }
}
