package io.mailshot.campaign.service;

import io.mailshot.campaign.config.ApprovalConfig;
import io.mailshot.campaign.persistence.CampaignEntity;
import io.mailshot.campaign.persistence.CampaignRepository;
import io.mailshot.campaign.persistence.ConfigurationRepository;
import io.mailshot.campaign.persistence.DirectMailConfigurationEntity;
import io.mailshot.campaign.persistence.ScheduleRepository;
import io.mailshot.events.Actor;
import io.mailshot.kit.audit.AuditTrail;
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
    private static final List<String> REVIEWED = List.of(CampaignStatus.PENDING_APPROVAL.name(),
            CampaignStatus.APPROVED.name(), CampaignStatus.SCHEDULED.name(), CampaignStatus.ACTIVE.name());

    private final ApprovalConfig config;
    private final ConfigurationRepository configurations;
    private final CampaignRepository campaigns;
    private final ScheduleRepository schedules;
    private final AuditTrail audit;

    public Approvals(ApprovalConfig config, ConfigurationRepository configurations, CampaignRepository campaigns,
            ScheduleRepository schedules, AuditTrail audit) {
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
        return configurations.findByIdOptional(campaign.configurationId).map(c -> c.approvalRequired).orElse(true);
    }

    /**
     * The configuration changed (or its routing did): campaigns under review or relying on an approval go back to
     * DRAFT, with the reason; a campaign that never needed approval keeps running. Returns how many went back.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int withdraw(DirectMailConfigurationEntity configuration, String reason) {
        return withdraw(configuration, reason, Actor.SYSTEM);
    }

    /**
     * {@link #withdraw(DirectMailConfigurationEntity, String)} on behalf of whoever changed the configuration: each
     * campaign sent back gets its own {@code campaign.approval-withdrawn} entry with that actor and the reason.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int withdraw(DirectMailConfigurationEntity configuration, String reason, Actor actor) {
        int withdrawn = 0;
        List<CampaignEntity> affected = campaigns.list("configurationId = ?1 and status in ?2", configuration.id,
                REVIEWED);
        for (CampaignEntity campaign : affected) {
            boolean pending = CampaignStatus.PENDING_APPROVAL.name().equals(campaign.status);
            boolean reliesOnApproval = campaign.approvedBy != null || required(campaign);
            if (!pending && !reliesOnApproval) {
                continue;
            }
            String from = campaign.status;
            campaign.status = CampaignStatus.DRAFT.name();
            campaign.approvedBy = null;
            campaign.approvedByName = null;
            campaign.approvalWithdrawn = reason;
            campaign.updatedAt = Instant.now();
            // Runs already under way finish with the snapshot they took; no new occurrence fires until re-approval.
            schedules.findByIdOptional(campaign.id).ifPresent(s -> s.nextFireAt = null);
            audit.record(actor, "campaign.approval-withdrawn", AuditTrail.ref("campaign", campaign.id),
                    AuditTrail.details("from", from, "to", campaign.status, "reason", reason,
                            "configurationId", configuration.id));
            withdrawn++;
        }
        if (withdrawn > 0) {
            LOG.infof("%d campaign(s) of configuration %s back to DRAFT: %s", withdrawn, configuration.id, reason);
        }
        return withdrawn;
    }

    /** {@link #withdraw} for every configuration that delivers to the routing. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int withdrawForRouting(UUID routingId, String reason) {
        return withdrawForRouting(routingId, reason, Actor.SYSTEM);
    }

    /** {@link #withdrawForRouting(UUID, String)} on behalf of whoever changed the routing. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int withdrawForRouting(UUID routingId, String reason, Actor actor) {
        int withdrawn = 0;
        for (DirectMailConfigurationEntity configuration : configurations.list("routingId", routingId)) {
            withdrawn += withdraw(configuration, reason, actor);
        }
        return withdrawn;
    }
}
