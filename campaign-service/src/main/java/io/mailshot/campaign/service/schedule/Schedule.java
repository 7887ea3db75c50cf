package io.mailshot.campaign.service.schedule;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;

/** A campaign's schedule as given and as shown: checked and turned into a rule by {@link Schedules}. */
public record Schedule(
        Frequency frequency,
        Instant at,
        String time,
        Set<DayOfWeek> daysOfWeek,
        Integer dayOfMonth,
        String timeZone,
        LocalDate start,
        LocalDate end) {

    public enum Frequency {
        ONCE,
        DAILY,
        WEEKLY,
        MONTHLY
    }
}
