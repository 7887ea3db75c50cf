package io.mailshot.events;

import java.util.List;
import java.util.UUID;

/**
 * One targeted profile, projected to the fields the run needs. Carries profile data (PII): it travels
 * only on the profile stream and is never logged.
 *
 * @param seq position in the attempt, from 1; lets consumers drop producer retries
 * @param values one value per field of {@link ProfileStreamStarted#fields()}; null when missing
 */
public record ProfileStreamed(UUID runId, UUID attemptId, long seq, String profileId, List<String> values) {
}
