package io.mailshot.audience.persistence;

import java.time.Instant;

/**
 * A validated profile ready to be upserted. {@code doc} is its JSON exactly as received (UTF-8); the keys are its
 * normalised address and household (null when the address is not usable or there is no last name).
 */
public record ProfileRow(
        String namespace,
        String identity,
        byte[] doc,
        String postalConsent,
        Instant eventTime,
        boolean testProfile,
        String addressKey,
        String householdKey) {}
