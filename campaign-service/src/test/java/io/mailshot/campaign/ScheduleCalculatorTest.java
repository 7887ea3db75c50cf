package io.mailshot.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailshot.campaign.service.schedule.ScheduleCalculator;
import io.mailshot.campaign.service.schedule.ScheduleCalculator.Rule;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScheduleCalculatorTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Test
    void dailyKeepsItsWallClockTimeAcrossDaylightSaving() {
        Rule daily = new Rule("DAILY", null, LocalTime.of(9, 0), Set.of(), null, PARIS, null, null);
        // 2026-10-25 is the autumn change in Europe: 09:00 Paris is 07:00Z before, 08:00Z after.
        assertEquals(
                Instant.parse("2026-10-24T07:00:00Z"),
                ScheduleCalculator.nextAfter(daily, Instant.parse("2026-10-24T06:00:00Z"))
                        .orElseThrow());
        assertEquals(
                Instant.parse("2026-10-26T08:00:00Z"),
                ScheduleCalculator.nextAfter(daily, Instant.parse("2026-10-25T09:00:00Z"))
                        .orElseThrow());
    }

    @Test
    void weeklyFiresOnItsDaysOnly() {
        Rule weekly = new Rule(
                "WEEKLY",
                null,
                LocalTime.of(18, 30),
                Set.of(DayOfWeek.TUESDAY, DayOfWeek.FRIDAY),
                null,
                ZoneId.of("UTC"),
                null,
                null);
        // 2026-11-28 is a Saturday: next is Tuesday 2026-12-01.
        assertEquals(
                Instant.parse("2026-12-01T18:30:00Z"),
                ScheduleCalculator.nextAfter(weekly, Instant.parse("2026-11-28T12:00:00Z"))
                        .orElseThrow());
        assertEquals(
                Instant.parse("2026-12-04T18:30:00Z"),
                ScheduleCalculator.nextAfter(weekly, Instant.parse("2026-12-01T18:30:00Z"))
                        .orElseThrow());
    }

    @Test
    void monthlyAndEndDate() {
        Rule monthly = new Rule(
                "MONTHLY",
                null,
                LocalTime.of(6, 0),
                Set.of(),
                15,
                ZoneId.of("UTC"),
                null,
                LocalDate.parse("2027-01-31"));
        assertEquals(
                Instant.parse("2026-12-15T06:00:00Z"),
                ScheduleCalculator.nextAfter(monthly, Instant.parse("2026-11-28T00:00:00Z"))
                        .orElseThrow());
        assertEquals(
                Instant.parse("2027-01-15T06:00:00Z"),
                ScheduleCalculator.nextAfter(monthly, Instant.parse("2026-12-15T06:00:00Z"))
                        .orElseThrow());
        assertTrue(ScheduleCalculator.nextAfter(monthly, Instant.parse("2027-01-15T06:00:00Z"))
                .isEmpty());
    }

    @Test
    void startDateAndOnce() {
        Rule daily = new Rule(
                "DAILY",
                null,
                LocalTime.of(0, 0),
                Set.of(),
                null,
                ZoneId.of("UTC"),
                LocalDate.parse("2027-03-01"),
                null);
        assertEquals(
                Instant.parse("2027-03-01T00:00:00Z"),
                ScheduleCalculator.nextAfter(daily, Instant.parse("2026-11-28T00:00:00Z"))
                        .orElseThrow());
        Rule once = new Rule(
                "ONCE", Instant.parse("2026-12-24T10:00:00Z"), null, Set.of(), null, ZoneId.of("UTC"), null, null);
        assertEquals(
                Instant.parse("2026-12-24T10:00:00Z"),
                ScheduleCalculator.nextAfter(once, Instant.parse("2026-11-28T00:00:00Z"))
                        .orElseThrow());
        assertTrue(ScheduleCalculator.nextAfter(once, Instant.parse("2026-12-24T10:00:00Z"))
                .isEmpty());
    }

    @Test
    void aMissedDailyOccurrenceIsCaughtUpOnceNotMany() {
        Rule daily = new Rule("DAILY", null, LocalTime.of(9, 0), Set.of(), null, ZoneId.of("UTC"), null, null);
        // Down for three days: after firing once, the next occurrence is computed after "now".
        Instant now = Instant.parse("2026-11-28T12:00:00Z");
        assertEquals(
                Instant.parse("2026-11-29T09:00:00Z"),
                ScheduleCalculator.nextAfter(daily, now).orElseThrow());
    }
}
