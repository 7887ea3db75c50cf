package io.mailshot.campaign.service;

import io.mailshot.campaign.persistence.CampaignEntity;
import io.mailshot.campaign.persistence.CampaignRepository;
import io.mailshot.campaign.persistence.ScheduleEntity;
import io.mailshot.campaign.persistence.ScheduleRepository;
import io.mailshot.kit.lifecycle.PollingLoop;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
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

    public Scheduler(ScheduleRepository schedules, CampaignRepository campaigns, CampaignService service,
            @ConfigProperty(name = "mailshot.scheduler.poll-interval", defaultValue = "2s") Duration pollInterval) {
        this.schedules = schedules;
        this.campaigns = campaigns;
        this.service = service;
        this.pollInterval = pollInterval;
    }

    void start(@Observes StartupEvent event) {
        loop = new PollingLoop("campaign-scheduler", pollInterval, () -> self.fireDue(10) > 0);
        loop.start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.stop();
        }
    }

    /** Fires up to {@code limit} due occurrences in one transaction; returns how many fired. */
    @Transactional
    public int fireDue(int limit) {
        int fired = 0;
        Instant now = Instant.now();
        for (ScheduleEntity schedule : schedules.claimDue(limit)) {
            CampaignEntity campaign = campaigns.findById(schedule.campaignId);
            if (!CampaignStatus.SCHEDULED.name().equals(campaign.status)
                    && !CampaignStatus.ACTIVE.name().equals(campaign.status)) {
                schedule.nextFireAt = null;
                continue;
            }
            Instant occurrence = schedule.nextFireAt;
            service.startRun(campaign, occurrence);
            schedule.lastFiredAt = occurrence;
            schedule.nextFireAt = ScheduleCalculator.nextAfter(Schedules.rule(schedule), now).orElse(null);
            if (schedule.nextFireAt == null) {
                campaign.status = CampaignStatus.ACTIVE.name();
            } else {
                campaign.status = CampaignStatus.SCHEDULED.name();
            }
            LOG.infof("campaign %s fired its %s occurrence; next %s", campaign.id, occurrence, schedule.nextFireAt);
            fired++;
        }
        return fired;
    }
}
