package io.mailshot.campaign.service.configuration;

import io.mailshot.campaign.service.cost.Pricing;
import io.mailshot.campaign.service.file.FileModel;
import java.util.UUID;

/** What a marketer gives to create or replace a direct-mail configuration. */
public record ConfigurationDraft(
        String name,
        UUID routingId,
        FileModel.Format format,
        Boolean timestampFileNames,
        String folderTemplate,
        Boolean approvalRequired,
        Pricing pricing) {}
