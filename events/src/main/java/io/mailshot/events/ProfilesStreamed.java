package io.mailshot.events;

import java.util.List;
import java.util.UUID;

/**
 * A batch of consecutive targeted profiles of one attempt, each projected to the fields the run needs. The
 * profile stream carries profiles only in batches because the per-record cost
 * (CloudEvents headers, event id, envelope) dominated the profile stream; a batch is bounded in rows and
 * bytes so it stays far below the broker's record size limit. Carries profile data (PII): it travels only on
 * the profile stream and is never logged.
 *
 * @param firstSeq the {@code seq} of the first profile; the i-th profile has {@code firstSeq + i}. A profile's
 *     {@code seq} is its position in the attempt, from 1; it lets consumers drop producer retries
 * @param profileIds one per profile
 * @param values one list per profile, aligned with {@link ProfileStreamStarted#fields()}; null when missing
 */
public record ProfilesStreamed(
        UUID runId, UUID attemptId, long firstSeq, List<String> profileIds, List<List<String>> values) {}
