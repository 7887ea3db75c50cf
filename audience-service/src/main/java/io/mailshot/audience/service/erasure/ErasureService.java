package io.mailshot.audience.service.erasure;

import io.mailshot.audience.persistence.ErasureRepository;
import io.mailshot.events.Actor;
import io.mailshot.events.ProfileErased;
import io.mailshot.events.Topics;
import io.mailshot.kit.audit.AuditTrail;
import io.mailshot.kit.domain.DomainException;
import io.mailshot.kit.persistence.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The right to erasure: removes a person's profile and responses, anonymises their contact history, and keeps only a
 * salted hash of the identity so that a later import of it is refused. One transaction: the audit entry and the
 * {@link ProfileErased} event (run ids only) commit with the changes or not at all.
 */
@ApplicationScoped
public class ErasureService {

    private static final Logger LOG = Logger.getLogger(ErasureService.class);

    /** The reason a line of an erased identity is refused, the same in every way in. */
    public static final String REFUSED = "this identity was erased at the person's request (right to erasure) and"
            + " may not be imported again; remove it from the source";

    private final ErasureRepository repository;
    private final IdentityHash hash;
    private final Outbox outbox;
    private final AuditTrail audit;

    public ErasureService(ErasureRepository repository, IdentityHash hash, Outbox outbox, AuditTrail audit) {
        this.repository = repository;
        this.hash = hash;
        this.outbox = outbox;
        this.audit = audit;
    }

    /**
     * Erases one identity. Not found when the service holds nothing of it and never erased it; an identity erased
     * before answers again (with what this request still found, usually nothing).
     */
    @Transactional
    public Erasure erase(String namespace, String id, boolean purgeExports, Actor actor) {
        UUID erasureId = UUID.randomUUID();
        Instant now = Instant.now();
        String identityHash = hash.of(namespace, id);
        ErasureRepository.Erased done;
        try {
            done = repository.erase(namespace, id, identityHash, erasureId, now);
        } catch (SQLException e) {
            LOG.warnf("erasure failed, SQL state %s", e.getSQLState());
            throw DomainException.unavailable("the profile store is unavailable (SQL state " + e.getSQLState() + ")");
        }
        if (!done.alreadyErased() && !done.foundAnything()) {
            throw new DomainException(
                    DomainException.Kind.NOT_FOUND,
                    "not-found",
                    "Not found",
                    "no profile, contact history or response with this identity",
                    List.of());
        }
        boolean purge = purgeExports && !done.runIds().isEmpty();
        if (!done.runIds().isEmpty()) {
            outbox.append(
                    Topics.ERASURES, erasureId.toString(), new ProfileErased(erasureId, done.runIds(), purge, now));
        }
        // The hash only: it lets a data-protection officer show that a given person was erased (with the salt),
        // and names nobody to whoever reads the trail.
        audit.record(
                actor,
                "profile.erase",
                AuditTrail.ref("erasure", erasureId),
                AuditTrail.details(
                        "identityHash",
                        identityHash,
                        "alreadyErased",
                        done.alreadyErased(),
                        "profileDeleted",
                        done.profileDeleted(),
                        "historyRowsAnonymised",
                        done.historyRows(),
                        "responsesDeleted",
                        done.responses(),
                        "runs",
                        done.runIds().size(),
                        "purgeExportsRequested",
                        purge));
        return new Erasure(
                erasureId,
                done.alreadyErased(),
                done.profileDeleted(),
                done.historyRows(),
                done.responses(),
                done.runIds(),
                purge);
    }

    /** The hash of an identity, as {@link #erasedAmong} takes them. */
    public String hashOf(String namespace, String id) {
        return hash.of(namespace, id);
    }

    /**
     * Which of these hashes are erased identities; throws {@link SQLException} when the store fails, so an ingestion
     * stops rather than store a profile it could not check.
     */
    public Set<String> erasedAmong(Collection<String> hashes) throws SQLException {
        return repository.erased(hashes);
    }
}
