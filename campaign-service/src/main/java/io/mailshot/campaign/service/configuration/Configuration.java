package io.mailshot.campaign.service.configuration;

import io.mailshot.campaign.service.cost.Pricing;
import io.mailshot.campaign.service.file.FileModel;
import io.mailshot.events.Actor;
import java.time.Instant;
import java.util.UUID;

/** A direct-mail configuration as it stands. */
public record Configuration(
        UUID id,
        String name,
        UUID routingId,
        String status,
        FileModel.Format format,
        boolean timestampFileNames,
        String folderTemplate,
        boolean approvalRequired,
        Pricing pricing,
        Actor updatedBy,
        Instant createdAt,
        Instant updatedAt) {}
