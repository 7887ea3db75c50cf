package io.mailshot.audience.persistence;

import java.util.List;

/** One profile matched by a run's filter, projected to the run's fields. Carries PII: never log it. */
public record MatchedProfile(String namespace, String identity, String postalConsent, List<String> values) {
}
