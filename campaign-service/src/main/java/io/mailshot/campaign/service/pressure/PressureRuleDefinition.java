package io.mailshot.campaign.service.pressure;

import io.mailshot.events.Actor;
import java.time.Instant;
import java.util.UUID;

/** A stored mail-pressure rule. */
public record PressureRuleDefinition(
        UUID id,
        String name,
        String scope,
        int maxContacts,
        int days,
        UUID configurationId,
        Actor createdBy,
        Instant createdAt,
        Instant updatedAt) {}
