package io.mailshot.campaign.service.schedule;

import io.mailshot.campaign.persistence.CampaignEntity;
import io.mailshot.campaign.persistence.CampaignRepository;
import io.mailshot.campaign.persistence.ScheduleEntity;
import io.mailshot.campaign.persistence.ScheduleRepository;
import io.mailshot.campaign.service.campaign.CampaignService;
import io.mailshot.campaign.service.campaign.CampaignStatus;
import io.mailshot.events.Actor;
import io.mailshot.kit.lifecycle.PollingLoop;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Fires due schedule occurrences. Not an in-memory timer: every replica polls the database and claims due
 * schedules with {@code FOR UPDATE SKIP LOCKED}; firing and moving {@code next_fire_at} forward commit
 * together, so each occurrence fires exactly once. A replica that was down catches up once: the next
 * occurrence is computed after "now", not after the missed one.
 */
@ApplicationScoped
public class Scheduler {

    private static final Logger LOG = Logger.getLogger(Scheduler.class);

    private final ScheduleRepository schedules;
    private final CampaignRepository campaigns;
    private final CampaignService service;
    private final Duration pollInterval;
    private PollingLoop loop;

    @Inject
    Scheduler self;

    public Scheduler(
            ScheduleRepository schedules,
            CampaignRepository campaigns,
            CampaignService service,
            @ConfigProperty(name = "mailshot.scheduler.poll-interval", defaultValue = "2s") Duration pollInterval) {
        this.schedules = schedules;
        this.campaigns = campaigns;
        this.service = service;
        this.pollInterval = pollInterval;
    }

    void start(@Observes StartupEvent event) {
        // The kit's own polling thread, not @Scheduled: it polls again at once while occurrences are due, and
        // Quarkus's scheduler cannot fire more often than once a second (tests and replicas poll every 100-200 ms).
        loop = new PollingLoop("campaign-scheduler", pollInterval, () -> fireDue(10) > 0);
        loop.start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.stop();
        }
    }

    /**
     * Fires up to {@code limit} due occurrences, each in its own transaction, so one that cannot fire never
     * holds back the others; returns how many fired.
     */
    public int fireDue(int limit) {
        int fired = 0;
        for (int i = 0; i < limit; i++) {
            Optional<UUID> claimed;
            AtomicReference<UUID> attempted = new AtomicReference<>();
            try {
                claimed = self.fireOne(attempted);
            } catch (RuntimeException e) {
                // The occurrence's transaction rolled back: nothing fired. Record why and try it again later.
                if (attempted.get() == null) {
                    throw e; // the claim itself failed (database): the polling loop backs off
                }
                self.postpone(attempted.get(), e);
                continue;
            }
            if (claimed.isEmpty()) {
                return fired;
            }
            fired++;
        }
        return fired;
    }

    /** How long an occurrence that failed to fire waits before the next try. */
    static final Duration RETRY_AFTER = Duration.ofMinutes(1);

    /**
     * Claims and fires one due occurrence; empty when none is due (or every due one is claimed elsewhere).
     * {@code attempted} names the claimed campaign before firing, so a failure can be recorded against it.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<UUID> fireOne(AtomicReference<UUID> attempted) {
        Instant now = Instant.now();
        for (ScheduleEntity schedule : schedules.claimDue(1)) {
            attempted.set(schedule.campaignId);
            CampaignEntity campaign = campaigns.findById(schedule.campaignId);
            if (!CampaignStatus.SCHEDULED.name().equals(campaign.status)
                    && !CampaignStatus.ACTIVE.name().equals(campaign.status)) {
                schedule.nextFireAt = null;
                schedule.retryAt = null;
                return Optional.of(schedule.campaignId);
            }
            Instant occurrence = schedule.nextFireAt;
            // Caused by the activation that scheduled it: its runs carry that person as their actor.
            service.startRun(
                    campaign,
                    occurrence,
                    campaign.activatedBy == null
                            ? Actor.SYSTEM
                            : new Actor(campaign.activatedBy, campaign.activatedByName),
                    "schedule");
            schedule.lastFiredAt = occurrence;
            schedule.retryAt = null;
            schedule.lastError = null;
            schedule.nextFireAt =
                    ScheduleCalculator.nextAfter(Schedules.rule(schedule), now).orElse(null);
            if (schedule.nextFireAt == null) {
                campaign.status = CampaignStatus.ACTIVE.name();
            } else {
                campaign.status = CampaignStatus.SCHEDULED.name();
            }
            LOG.infof("campaign %s fired its %s occurrence; next %s", campaign.id, occurrence, schedule.nextFireAt);
            return Optional.of(schedule.campaignId);
        }
        return Optional.empty();
    }

    /**
     * After a failed {@link #fireOne}: postpones the next try of that occurrence, keeping the occurrence itself,
     * so it still fires once when the cause is gone. Skipped if another replica holds it meanwhile.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void postpone(UUID campaignId, RuntimeException cause) {
        schedules.claimIfDue(campaignId).ifPresent(schedule -> {
            schedule.retryAt = Instant.now().plus(RETRY_AFTER);
            schedule.lastError = abbreviate(String.valueOf(cause.getMessage()));
            LOG.warnf(
                    "campaign %s could not fire its %s occurrence, retrying at %s: %s",
                    schedule.campaignId, schedule.nextFireAt, schedule.retryAt, schedule.lastError);
        });
    }

    private static String abbreviate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "…";
    }
}
