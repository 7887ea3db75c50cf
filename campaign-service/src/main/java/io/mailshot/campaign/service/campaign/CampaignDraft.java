package io.mailshot.campaign.service.campaign;

import io.mailshot.campaign.service.cost.Money;
import io.mailshot.campaign.service.file.FileModel;
import io.mailshot.campaign.service.schedule.Schedule;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What a marketer asks for when creating a campaign; checked by {@link CampaignService#create}. */
public record CampaignDraft(
        String name,
        String description,
        CampaignType type,
        UUID audienceId,
        String identityNamespace,
        UUID configurationId,
        FileModel.Definition file,
        Integer holdoutPercent,
        Dedup dedup,
        List<UUID> suppressionListIds,
        Map<String, String> constants,
        Schedule schedule,
        Money budget) {

    /** The campaign types of the platform; direct mail accepts SCHEDULED only. */
    public enum CampaignType {
        SCHEDULED,
        API_TRIGGERED
    }

    /** How duplicate recipients are removed from a run. */
    public enum Dedup {
        NONE,
        IDENTITY,
        ADDRESS,
        HOUSEHOLD
    }
}
