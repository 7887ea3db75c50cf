package io.mailshot.campaign.service.campaign;

import io.mailshot.campaign.service.campaign.CampaignDraft.CampaignType;
import io.mailshot.campaign.service.campaign.CampaignDraft.Dedup;
import io.mailshot.campaign.service.cost.Money;
import io.mailshot.campaign.service.file.FileModel;
import io.mailshot.campaign.service.schedule.Schedule;
import io.mailshot.events.Actor;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A campaign as it stands: its definition, who did what to it (null where nobody did yet), and its next run. */
public record Campaign(
        UUID id,
        String name,
        String description,
        CampaignType type,
        String status,
        UUID audienceId,
        String identityNamespace,
        UUID configurationId,
        FileModel.Definition file,
        Integer holdoutPercent,
        Dedup dedup,
        List<UUID> suppressionListIds,
        Map<String, String> constants,
        boolean approvalRequired,
        Actor createdBy,
        Actor editedBy,
        Actor submittedBy,
        Actor approvedBy,
        Actor rejectedBy,
        Actor activatedBy,
        String approvalWithdrawn,
        Schedule schedule,
        Instant nextRunAt,
        Instant createdAt,
        Instant updatedAt,
        Money budget,
        PressureExemption pressureExemption) {

    /**
     * Whether mail-pressure rules skip the campaign's runs; who decided it, when and why (null when nobody ever did).
     */
    public record PressureExemption(boolean exempt, String reason, Actor by, Instant at) {}
}
