package io.mailshot.campaign.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailshot.kit.domain.DomainException;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The delivery-service's API as campaign-service reads it (base URL: {@code mailshot.peers.delivery-url}). Every
 * call only reads, so a call that failed on the way is tried once more; one that took too long is not.
 */
@RegisterRestClient(configKey = "delivery-service")
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Timeout(5000)
@Retry(
        maxRetries = 1,
        delay = 200,
        retryOn = {ProcessingException.class, DomainException.class},
        abortOn = PeerNotFound.class)
@CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5000, skipOn = PeerNotFound.class)
public interface RoutingApi {

    /** A file routing: {@code {id, status, …}}. */
    @GET
    @Path("file-routings/{id}")
    JsonNode routing(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("id") UUID id);

    @ClientExceptionMapper
    static RuntimeException refusal(Response response) {
        return PeerCalls.refusal("delivery-service", response);
    }
}
