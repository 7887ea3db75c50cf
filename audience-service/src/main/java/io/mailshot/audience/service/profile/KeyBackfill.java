package io.mailshot.audience.service.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.audience.persistence.ProfileRepository;
import io.mailshot.audience.persistence.ProfileRepository.StaleKeys;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

/**
 * Recomputes the dedup keys of profiles stored before the keys existed or under older normalisation rules
 * ({@code keys_version}), in the background after startup, 500 rows at a time by keyset pagination.
 */
@ApplicationScoped
public class KeyBackfill {

    private static final Logger LOG = Logger.getLogger(KeyBackfill.class);
    private static final int BATCH = 500;

    private final ProfileRepository profiles;
    private final ObjectMapper json;
    /** Quarkus's worker pool: one task for the whole backfill, which stops at the next batch on shutdown. */
    private final ManagedExecutor executor;

    private volatile boolean stopping;

    public KeyBackfill(ProfileRepository profiles, ObjectMapper json, ManagedExecutor executor) {
        this.profiles = profiles;
        this.json = json;
        this.executor = executor;
    }

    void start(@Observes StartupEvent event) {
        executor.execute(this::run);
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    private void run() {
        try {
            long updated = backfill();
            if (updated > 0) {
                LOG.infof("recomputed the dedup keys of %d profiles", updated);
            }
        } catch (Exception e) {
            // Never the profile data: the exception type only. The next start tries again.
            LOG.warnf("dedup key backfill stopped: %s", e.getClass().getSimpleName());
        }
    }

    /** Recomputes every stale key now; returns how many profiles were looked at. */
    public long backfill() throws Exception {
        long after = 0;
        long updated = 0;
        while (!stopping) {
            List<StaleKeys> rows = profiles.staleKeys(after, AddressNormalizer.VERSION, BATCH);
            if (rows.isEmpty()) {
                break;
            }
            List<String[]> keys = new ArrayList<>(rows.size());
            for (StaleKeys row : rows) {
                JsonNode doc = json.readTree(row.doc());
                String address = AddressNormalizer.addressKey(doc.get("homeAddress"));
                JsonNode last = doc.path("person").path("name").path("lastName");
                keys.add(new String[] {
                    address,
                    AddressNormalizer.householdKey(address, last.isValueNode() && !last.isNull() ? last.asText() : null)
                });
            }
            profiles.updateKeys(rows, keys, AddressNormalizer.VERSION);
            updated += rows.size();
            after = rows.get(rows.size() - 1).id();
        }
        return updated;
    }
}
