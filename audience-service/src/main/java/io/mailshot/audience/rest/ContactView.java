package io.mailshot.audience.rest;

import io.mailshot.audience.persistence.ContactHistoryRepository.ContactRow;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One contact of a profile: the run and campaign that mailed it (or held it out), the file, part and split value it
 * went to (null when held out, or when the run's placements were not staged), and when the run was delivered.
 */
public record ContactView(
        UUID runId, UUID campaignId, String file, Integer part, String cell, boolean holdout, Instant contactedAt) {

    static ContactView of(ContactRow row) {
        return new ContactView(
                row.runId(), row.campaignId(), row.file(), row.part(), row.cell(), row.holdout(), row.contactedAt());
    }

    /** A page of a profile's contacts, newest first, and how many it has in all. */
    public record Page(List<ContactView> items, int page, int size, long total) {}
}
