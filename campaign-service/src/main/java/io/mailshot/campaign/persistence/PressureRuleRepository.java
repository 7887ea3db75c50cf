package io.mailshot.campaign.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Mail-pressure rules. */
@ApplicationScoped
public class PressureRuleRepository implements PanacheRepositoryBase<PressureRuleEntity, UUID> {

    /** The global rules and those attached to the configuration, oldest first (the order a run applies them). */
    public List<PressureRuleEntity> applyingTo(UUID configurationId) {
        return list(
                "configurationId is null or configurationId = ?1",
                Sort.ascending("createdAt").and("id"),
                configurationId);
    }
}
