package io.mailshot.campaign.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** When a campaign runs: once, or recurring in a time zone. {@code nextFireAt} is what replicas claim. */
@Entity
@Table(name = "campaign_schedule")
public class ScheduleEntity {

    @Id
    @Column(name = "campaign_id")
    public UUID campaignId;

    /** ONCE, DAILY, WEEKLY or MONTHLY. */
    @Column(nullable = false)
    public String kind;

    @Column(name = "fire_at")
    public Instant fireAt;

    @Column(name = "time_of_day")
    public String timeOfDay;

    /** Comma-separated ISO day names, e.g. MONDAY,THURSDAY. */
    @Column(name = "days_of_week")
    public String daysOfWeek;

    @Column(name = "day_of_month")
    public Integer dayOfMonth;

    @Column(name = "time_zone", nullable = false)
    public String timeZone;

    @Column(name = "starts_on")
    public LocalDate startsOn;

    @Column(name = "ends_on")
    public LocalDate endsOn;

    @Column(name = "next_fire_at")
    public Instant nextFireAt;

    @Column(name = "last_fired_at")
    public Instant lastFiredAt;

    /** When a due occurrence that failed to fire is tried again; null when it has not failed. */
    @Column(name = "retry_at")
    public Instant retryAt;

    /** Why the last attempt to fire failed, for operators; null once it fired. */
    @Column(name = "last_error")
    public String lastError;
}
