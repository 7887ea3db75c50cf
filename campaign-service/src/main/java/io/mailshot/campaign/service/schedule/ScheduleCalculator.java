package io.mailshot.campaign.service.schedule;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.Set;

/**
 * When a schedule fires next. Pure logic: times of day are wall-clock times in the schedule's IANA zone,
 * so a daily 09:00 stays 09:00 across daylight-saving changes (a time that does not exist that day moves
 * forward by the gap, as {@link ZonedDateTime} resolves it).
 */
public final class ScheduleCalculator {

    /** A schedule's rule, independent of storage. */
    public record Rule(
            String frequency,
            Instant at,
            LocalTime time,
            Set<DayOfWeek> daysOfWeek,
            Integer dayOfMonth,
            ZoneId zone,
            LocalDate start,
            LocalDate end) {}

    private ScheduleCalculator() {}

    /**
     * The first occurrence strictly after {@code after}, or empty when the schedule has no more. A replica
     * that was down passes "now" here after firing once, so missed occurrences are caught up once, not many
     * times.
     */
    public static Optional<Instant> nextAfter(Rule rule, Instant after) {
        if (rule.frequency().equals("ONCE")) {
            Instant at = rule.at() == null ? Instant.EPOCH : rule.at();
            return at.isAfter(after) ? Optional.of(at) : Optional.empty();
        }
        LocalDate day = after.atZone(rule.zone()).toLocalDate();
        if (rule.start() != null && day.isBefore(rule.start())) {
            day = rule.start();
        }
        // A year of days is always enough to find the next daily, weekly or monthly (day <= 28) occurrence.
        for (int i = 0; i < 400; i++, day = day.plusDays(1)) {
            if (rule.end() != null && day.isAfter(rule.end())) {
                return Optional.empty();
            }
            if (!matches(rule, day)) {
                continue;
            }
            Instant candidate = ZonedDateTime.of(day, rule.time(), rule.zone()).toInstant();
            if (candidate.isAfter(after)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean matches(Rule rule, LocalDate day) {
        return switch (rule.frequency()) {
            case "DAILY" -> true;
            case "WEEKLY" -> rule.daysOfWeek().contains(day.getDayOfWeek());
            case "MONTHLY" -> day.getDayOfMonth() == rule.dayOfMonth();
            default -> throw new IllegalArgumentException("unknown frequency " + rule.frequency());
        };
    }
}
