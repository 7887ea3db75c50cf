package io.mailshot.delivery.service.routing;

import io.mailshot.delivery.service.egress.EgressGuard;
import io.mailshot.delivery.service.egress.EgressRefusedException;
import io.mailshot.delivery.service.routing.ConnectionReport.Step;
import io.mailshot.delivery.service.transport.Transport;
import io.mailshot.delivery.service.transport.Transports;
import io.mailshot.kit.domain.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Tries a routing's destination the way a delivery would and reports each step only as what happened: SFTP goes
 * through connect, key exchange, host key, login, write and delete; S3 and Azure Blob through connect, login,
 * write and delete. A step is {@code done} only when it really happened and worked (a TCP connection alone is no
 * key exchange; a write is done once the probe reads back identical), {@code failed} when it was tried, and
 * {@code not-reached} after a failure. Nothing here answers 5xx: whatever a step throws is that step's failure.
 */
@ApplicationScoped
public class ConnectionTester {

    private static final Logger LOG = Logger.getLogger(ConnectionTester.class);

    private final RoutingService routings;
    private final Transports transports;
    private final EgressGuard egress;

    public ConnectionTester(RoutingService routings, Transports transports, EgressGuard egress) {
        this.routings = routings;
        this.transports = transports;
        this.egress = egress;
    }

    public ConnectionReport test(UUID id) {
        Routing routing = routings.resolve(id).orElseThrow(() -> DomainException.notFound("file routing", id));
        Transport transport = transports.of(routing.type());
        ConnectionSteps steps = new ConnectionSteps(transport.testSteps());
        // A destination the egress policy refuses is refused like a bad value (422), before anything is sent; one
        // that does not resolve now is the connect step's failure, as any unreachable server.
        String host = Destinations.host(routing);
        String unresolved = null;
        if (host != null) {
            try {
                egress.check(host);
            } catch (EgressRefusedException e) {
                if (!e.unresolvable()) {
                    String field = Destinations.field(routing.type());
                    throw DomainException.invalid(
                            field, "egress", field + ": " + e.getMessage() + "; nothing was sent to it");
                }
                unresolved = "cannot reach " + host + ": " + e.getMessage();
            }
        }
        if (unresolved != null) {
            steps.start(ConnectionSteps.CONNECT);
            steps.fail(unresolved);
            return log(id, steps.report(routing));
        }
        try {
            transport.test(routing, steps);
        } catch (RuntimeException e) {
            // Whatever a client library throws is the failure of the step under way, never a 500.
            steps.fail("unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return log(id, steps.report(routing));
    }

    private static ConnectionReport log(UUID id, ConnectionReport result) {
        LOG.infof(
                "connection test of routing %s: %s",
                id,
                result.ok()
                        ? "ok"
                        : "failed at "
                                + result.steps().stream()
                                        .filter(s -> ConnectionReport.FAILED.equals(s.status()))
                                        .findFirst()
                                        .map(Step::step)
                                        .orElse("?"));
        return result;
    }
}
