package io.mailshot.campaign.service.pressure;

import io.mailshot.campaign.persistence.PressureRuleEntity;
import io.mailshot.campaign.persistence.PressureRuleRepository;
import io.mailshot.campaign.service.Actors;
import io.mailshot.campaign.service.Listing;
import io.mailshot.campaign.service.configuration.ConfigurationService;
import io.mailshot.events.Actor;
import io.mailshot.events.PressureRule;
import io.mailshot.kit.audit.AuditTrail;
import io.mailshot.kit.domain.DomainException;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Mail-pressure rules, defined once: global or attached to a configuration. Runs snapshot the rules that apply when
 * they are requested, so a change here reaches only later runs.
 */
@ApplicationScoped
@Transactional
public class PressureRules {

    private static final Set<String> SCOPES =
            Set.of(PressureRule.PROFILE, PressureRule.HOUSEHOLD, PressureRule.CAMPAIGN);

    private final PressureRuleRepository rules;
    private final ConfigurationService configurations;
    private final AuditTrail audit;

    public PressureRules(PressureRuleRepository rules, ConfigurationService configurations, AuditTrail audit) {
        this.rules = rules;
        this.configurations = configurations;
        this.audit = audit;
    }

    public PressureRuleDefinition create(PressureRuleDraft draft, Actor actor) {
        check(draft);
        PressureRuleEntity entity = new PressureRuleEntity();
        entity.id = UUID.randomUUID();
        entity.createdBy = actor.subject();
        entity.createdByName = actor.name();
        entity.createdAt = Instant.now();
        apply(entity, draft);
        rules.persist(entity);
        audit.record(actor, "pressure-rule.create", AuditTrail.ref("pressure-rule", entity.id), details(entity));
        return view(entity);
    }

    public PressureRuleDefinition update(UUID id, PressureRuleDraft draft, Actor actor) {
        PressureRuleEntity entity = find(id);
        check(draft);
        apply(entity, draft);
        audit.record(actor, "pressure-rule.update", AuditTrail.ref("pressure-rule", id), details(entity));
        return view(entity);
    }

    /** Deletes the rule: later runs no longer apply it; runs already requested keep their snapshot. */
    public void delete(UUID id, Actor actor) {
        PressureRuleEntity entity = find(id);
        rules.delete(entity);
        audit.record(actor, "pressure-rule.delete", AuditTrail.ref("pressure-rule", id), details(entity));
    }

    public PressureRuleDefinition get(UUID id) {
        return view(find(id));
    }

    public Listing<PressureRuleDefinition> list(int page, int size) {
        var query = rules.findAll(Sort.ascending("createdAt").and("id")).page(Page.of(page, size));
        return new Listing<>(query.list().stream().map(PressureRules::view).toList(), page, size, query.count());
    }

    private void check(PressureRuleDraft draft) {
        if (!SCOPES.contains(draft.scope())) {
            throw DomainException.invalid("scope", "enum", "scope must be PROFILE, HOUSEHOLD or CAMPAIGN");
        }
        if (draft.configurationId() != null) {
            configurations.find(draft.configurationId(), "configurationId");
        }
    }

    private static void apply(PressureRuleEntity entity, PressureRuleDraft draft) {
        entity.name = draft.name();
        entity.scope = draft.scope();
        entity.maxContacts = draft.maxContacts();
        entity.days = draft.days();
        entity.configurationId = draft.configurationId();
        entity.updatedAt = Instant.now();
    }

    private static Map<String, Object> details(PressureRuleEntity e) {
        return AuditTrail.details(
                "scope", e.scope, "maxContacts", e.maxContacts, "days", e.days, "configurationId", e.configurationId);
    }

    private PressureRuleEntity find(UUID id) {
        return rules.findByIdOptional(id).orElseThrow(() -> DomainException.notFound("pressure rule", id));
    }

    private static PressureRuleDefinition view(PressureRuleEntity e) {
        return new PressureRuleDefinition(
                e.id,
                e.name,
                e.scope,
                e.maxContacts,
                e.days,
                e.configurationId,
                Actors.of(e.createdBy, e.createdByName),
                e.createdAt,
                e.updatedAt);
    }
}
