package io.mailshot.kit.audit;

import io.mailshot.events.Actor;
import io.mailshot.kit.rest.Problem;
import io.mailshot.kit.security.Caller;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Records the refusals of {@link Audited} methods: a signed-in caller answered 403 (a missing role, four eyes), 409
 * (the state does not allow the change) or 422 (a rule of the change) gets an entry with outcome
 * {@link Outcome#REFUSED}, the status and the problem's rule and field, in a transaction of its own (the change's
 * rolled back). Anonymous callers (401), malformed requests (400) and unknown entities (404) never reached a change
 * and are not recorded. Only in services with {@code mailshot.audit.enabled=true}.
 */
public class AuditedRefusals {

    private static final Logger LOG = Logger.getLogger(AuditedRefusals.class);
    private static final Set<Integer> REFUSALS = Set.of(403, 409, 422);

    private final boolean enabled;
    private final AuditTrail trail;
    private final CurrentIdentityAssociation identities;

    public AuditedRefusals(
            @ConfigProperty(name = "mailshot.audit.enabled", defaultValue = "false") boolean enabled,
            AuditTrail trail,
            CurrentIdentityAssociation identities) {
        this.enabled = enabled;
        this.trail = trail;
        this.identities = identities;
    }

    @ServerResponseFilter
    public void refused(ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource) {
        if (!enabled || !REFUSALS.contains(response.getStatus())) {
            return;
        }
        Method method = resource == null ? null : resource.getResourceMethod();
        Audited audited = method == null ? null : method.getAnnotation(Audited.class);
        if (audited == null) {
            return;
        }
        String id = audited.idParam().isEmpty()
                ? null
                : request.getUriInfo().getPathParameters().getFirst(audited.idParam());
        Problem problem = response.getEntity() instanceof Problem p ? p : null;
        Map<String, Object> details = AuditTrail.details(
                "status",
                response.getStatus(),
                "rule",
                problem == null ? null : problem.rule(),
                "field",
                problem == null ? null : problem.field());
        AuditEntry.Ref entity = AuditTrail.ref(audited.entity(), id);
        if (Context.isOnEventLoopThread()) {
            // No blocking here: the identity is resolved and the entry written on a worker, just after the answer.
            identities
                    .getDeferredIdentity()
                    .subscribe()
                    .with(
                            identity -> Infrastructure.getDefaultWorkerPool()
                                    .execute(() -> write(identity, audited.action(), entity, details)),
                            failure -> LOG.debugf("refusal of %s not audited: no identity", audited.action()));
            return;
        }
        write(identities.getDeferredIdentity().await().indefinitely(), audited.action(), entity, details);
    }

    private void write(SecurityIdentity identity, String action, AuditEntry.Ref entity, Map<String, Object> details) {
        if (identity == null || identity.isAnonymous()) {
            return;
        }
        Actor actor = Caller.actorOf(identity);
        try {
            trail.recordAlone(actor, action, entity, Outcome.REFUSED, details);
        } catch (RuntimeException e) {
            // The caller's answer stands; the missing entry is logged (never with request data).
            LOG.warnf(
                    "could not audit the refusal of %s on %s %s: %s",
                    action, entity.type(), entity.id(), e.getMessage());
        }
    }
}
