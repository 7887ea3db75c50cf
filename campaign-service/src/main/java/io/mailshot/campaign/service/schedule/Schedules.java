package io.mailshot.campaign.service.schedule;

import io.mailshot.campaign.persistence.ScheduleEntity;
import io.mailshot.campaign.service.schedule.Schedule.Frequency;
import io.mailshot.kit.domain.DomainException;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Maps schedules between the domain, storage and {@link ScheduleCalculator}, checking the rules that span fields. */
public final class Schedules {

    private Schedules() {}

    public static ScheduleCalculator.Rule rule(Schedule r) {
        ZoneId zone = zone(r.timeZone());
        if (r.end() != null && r.start() != null && r.end().isBefore(r.start())) {
            throw DomainException.invalid("schedule.end", "after-start", "the end date is before the start date");
        }
        switch (r.frequency()) {
            case ONCE -> {
                return new ScheduleCalculator.Rule("ONCE", r.at(), null, Set.of(), null, zone, null, null);
            }
            case WEEKLY -> {
                if (r.daysOfWeek() == null || r.daysOfWeek().isEmpty()) {
                    throw DomainException.invalid(
                            "schedule.daysOfWeek", "required", "a weekly schedule names its days");
                }
            }
            case MONTHLY -> {
                if (r.dayOfMonth() == null) {
                    throw DomainException.invalid(
                            "schedule.dayOfMonth",
                            "required",
                            "a monthly schedule names its day (1–28, so every month has it)");
                }
            }
            default -> {
                // DAILY needs only a time.
            }
        }
        if (r.time() == null) {
            throw DomainException.invalid(
                    "schedule.time", "required", "a recurring schedule needs a time of day HH:mm");
        }
        return new ScheduleCalculator.Rule(
                r.frequency().name(),
                null,
                LocalTime.parse(r.time()),
                r.daysOfWeek() == null ? Set.of() : r.daysOfWeek(),
                r.dayOfMonth(),
                zone,
                r.start(),
                r.end());
    }

    public static ScheduleCalculator.Rule rule(ScheduleEntity e) {
        return rule(view(e));
    }

    public static ScheduleEntity entity(UUID campaignId, Schedule r) {
        ScheduleEntity e = new ScheduleEntity();
        e.campaignId = campaignId;
        e.kind = r.frequency().name();
        e.fireAt = r.at();
        e.timeOfDay = r.time();
        e.daysOfWeek = r.daysOfWeek() == null
                ? null
                : r.daysOfWeek().stream().map(DayOfWeek::name).sorted().collect(Collectors.joining(","));
        e.dayOfMonth = r.dayOfMonth();
        e.timeZone = zone(r.timeZone()).getId();
        e.startsOn = r.start();
        e.endsOn = r.end();
        return e;
    }

    public static Schedule view(ScheduleEntity e) {
        Set<DayOfWeek> days = e.daysOfWeek == null || e.daysOfWeek.isBlank()
                ? null
                : Arrays.stream(e.daysOfWeek.split(","))
                        .map(DayOfWeek::valueOf)
                        .collect(Collectors.toCollection(() -> EnumSet.noneOf(DayOfWeek.class)));
        return new Schedule(
                Frequency.valueOf(e.kind), e.fireAt, e.timeOfDay, days, e.dayOfMonth, e.timeZone, e.startsOn, e.endsOn);
    }

    private static ZoneId zone(String id) {
        if (id == null || id.isBlank()) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw DomainException.invalid(
                    "schedule.timeZone", "iana-zone", "'" + id + "' is not an IANA time zone such as Europe/Paris");
        }
    }
}
