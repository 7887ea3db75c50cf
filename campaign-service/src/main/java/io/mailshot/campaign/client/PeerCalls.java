package io.mailshot.campaign.client;

import io.mailshot.kit.domain.DomainException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

/**
 * How a call to another Mailshot service ends for the domain: found, not found (404), or a 503 problem
 * ({@link DomainException#unavailable}) when the peer is unreachable, too slow, behind an open circuit or answers
 * anything else.
 */
final class PeerCalls {

    private PeerCalls() {}

    /** The typed clients' answer to a status of 400 or more: 404 is "not found", anything else "unavailable". */
    static RuntimeException refusal(String service, Response response) {
        if (response.getStatus() == 404) {
            return new PeerNotFound();
        }
        return DomainException.unavailable(
                service + " answered " + response.getStatus() + "; the reference could not be checked, try again");
    }

    /** The answer, or empty when the peer answered 404. */
    static <T> Optional<T> find(String service, Supplier<T> call) {
        try {
            return Optional.of(call.get());
        } catch (PeerNotFound e) {
            return Optional.empty();
        } catch (ProcessingException | FaultToleranceException | WebApplicationException e) {
            throw unreachable(service, e);
        }
    }

    /** The answer; a 404 means the peer cannot do this now, like any other failure. */
    static <T> T call(String service, String what, Supplier<T> call) {
        return find(service, call).orElseThrow(() -> DomainException.unavailable(service + " cannot " + what));
    }

    private static DomainException unreachable(String service, RuntimeException e) {
        // A refusal made before the request left (no token from the identity provider) keeps its own message.
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof DomainException domain) {
                return domain;
            }
        }
        return DomainException.unavailable(service + " is unreachable; the reference could not be checked");
    }
}
