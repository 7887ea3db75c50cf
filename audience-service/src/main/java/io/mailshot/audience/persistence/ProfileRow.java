package io.mailshot.audience.persistence;

import java.time.Instant;

/** A validated profile ready to be upserted. {@code doc} is its JSON exactly as received. */
public record ProfileRow(String namespace, String identity, String doc, String postalConsent, Instant eventTime,
        boolean testProfile) {
}
