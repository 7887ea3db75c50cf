package io.mailshot.campaign.service.pressure;

import java.util.UUID;

/** What is given to define or replace a mail-pressure rule; {@code configurationId} null makes it global. */
public record PressureRuleDraft(String name, String scope, int maxContacts, int days, UUID configurationId) {}
