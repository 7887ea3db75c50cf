package io.mailshot.campaign.service.campaign;

import io.mailshot.campaign.config.ApprovalConfig;
import io.mailshot.campaign.persistence.CampaignEntity;
import io.mailshot.campaign.persistence.CampaignRepository;
import io.mailshot.campaign.persistence.ConfigurationRepository;
import io.mailshot.campaign.persistence.DirectMailConfigurationEntity;
import io.mailshot.campaign.persistence.ScheduleRepository;
import io.mailshot.events.Actor;
import io.mailshot.events.RoutingChanged;
import io.mailshot.kit.audit.AuditTrail;
import io.mailshot.kit.persistence.ProcessedEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The approval policy and what an approval is bound to. Whether a campaign needs approval is the installation's
 * policy ({@link ApprovalConfig}) or its configuration's, never its author's choice. An approval covers what was
 * approved: when the configuration or its routing changes afterwards, every campaign that relied on it goes back to
 * DRAFT (its schedule stopped) and must be submitted and approved again.
 */
@ApplicationScoped
public class Approvals {

    private static final Logger LOG = Logger.getLogger(Approvals.class);

    /** The statuses that rest on a review done or under way. */
    private static final List<String> REVIEWED = List.of(
            CampaignStatus.PENDING_APPROVAL.name(),
            CampaignStatus.APPROVED.name(),
            CampaignStatus.SCHEDULED.name(),
            CampaignStatus.ACTIVE.name());

    private final ApprovalConfig config;
    private final ConfigurationRepository configurations;
    private final CampaignRepository campaigns;
    private final ScheduleRepository schedules;
    private final ProcessedEvents processed;
    private final AuditTrail audit;

    public Approvals(
            ApprovalConfig config,
            ConfigurationRepository configurations,
            CampaignRepository campaigns,
            ScheduleRepository schedules,
            ProcessedEvents processed,
            AuditTrail audit) {
        this.processed = processed;
        this.audit = audit;
        this.config = config;
        this.configurations = configurations;
        this.campaigns = campaigns;
        this.schedules = schedules;
    }

    /** Whether the campaign needs a second person's approval before it runs, under today's policy. */
    public boolean required(CampaignEntity campaign) {
        if (config.required()) {
            return true;
        }
        return configurations
                .findByIdOptional(campaign.configurationId)
                .map(c -> c.approvalRequired)
                .orElse(true);
    }

    /**
     * The configuration changed (or its routing did): campaigns under review or relying on an approval go back to
     * DRAFT, with the reason; a campaign that never needed approval keeps running. Returns how many went back.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int withdraw(DirectMailConfigurationEntity configuration, String reason) {
        return withdraw(configuration, reason, Actor.SYSTEM, null);
    }

    /**
     * {@link #withdraw(DirectMailConfigurationEntity, String)} on behalf of whoever changed the configuration, for a
     * change made at {@code changedAt} (null: now, in this transaction). A fact from another service may arrive late or
     * twice: a review submitted or approved after the change saw it, and stands. Each campaign sent back gets its own
     * {@code campaign.approval-withdrawn} entry with that actor and the reason.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int withdraw(DirectMailConfigurationEntity configuration, String reason, Actor actor, Instant changedAt) {
        int withdrawn = 0;
        List<CampaignEntity> affected =
                campaigns.list("configurationId = ?1 and status in ?2", configuration.id, REVIEWED);
        for (CampaignEntity campaign : affected) {
            boolean pending = CampaignStatus.PENDING_APPROVAL.name().equals(campaign.status);
            boolean reliesOnApproval = campaign.approvedBy != null || required(campaign);
            if (!pending && !reliesOnApproval) {
                continue;
            }
            Instant reviewed = pending ? campaign.submittedAt : campaign.approvedAt;
            if (changedAt != null && reviewed != null && !reviewed.isBefore(changedAt)) {
                continue;
            }
            String from = campaign.status;
            campaign.status = CampaignStatus.DRAFT.name();
            campaign.approvedBy = null;
            campaign.approvedByName = null;
            campaign.approvedAt = null;
            campaign.approvalWithdrawn = reason;
            campaign.updatedAt = Instant.now();
            // Runs already under way finish with the snapshot they took; no new occurrence fires until re-approval.
            schedules.findByIdOptional(campaign.id).ifPresent(s -> s.nextFireAt = null);
            audit.record(
                    actor,
                    "campaign.approval-withdrawn",
                    AuditTrail.ref("campaign", campaign.id),
                    AuditTrail.details(
                            "from",
                            from,
                            "to",
                            campaign.status,
                            "reason",
                            reason,
                            "configurationId",
                            configuration.id));
            withdrawn++;
        }
        if (withdrawn > 0) {
            LOG.infof("%d campaign(s) of configuration %s back to DRAFT: %s", withdrawn, configuration.id, reason);
        }
        return withdrawn;
    }

    /**
     * A routing changed: every approval given before the change for a campaign that delivers through it is withdrawn,
     * unless the routing was only (re)activated, which moves no file anywhere else. Applying the same fact twice
     * changes nothing more (a review given after the change stands).
     */
    @Transactional
    public int routingChanged(RoutingChanged change, String eventId) {
        if (!processed.firstTime("routing-changes-in", eventId)) {
            return 0;
        }
        List<String> changed = change.changed() == null ? List.of() : change.changed();
        if (changed.equals(List.of("status")) && "ACTIVE".equals(change.status())) {
            return 0;
        }
        return withdrawForRouting(
                change.routingId(),
                "routing " + change.routingId() + " changed after approval (" + String.join(", ", changed) + ")",
                Actor.SYSTEM,
                change.occurredAt());
    }

    /** {@link #withdraw} for every configuration that delivers to the routing, changed at {@code changedAt}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int withdrawForRouting(UUID routingId, String reason, Actor actor, Instant changedAt) {
        int withdrawn = 0;
        for (DirectMailConfigurationEntity configuration : configurations.list("routingId", routingId)) {
            withdrawn += withdraw(configuration, reason, actor, changedAt);
        }
        return withdrawn;
    }
}
