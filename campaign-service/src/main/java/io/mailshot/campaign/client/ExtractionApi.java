package io.mailshot.campaign.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailshot.kit.domain.DomainException;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The extraction-service's API as campaign-service reads it (base URL: {@code mailshot.peers.extraction-url}). Every
 * call only reads (checks and previews change nothing there), so a call that failed on the way is tried once more; one that took too long is not.
 */
@RegisterRestClient(configKey = "extraction-service")
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
public interface ExtractionApi {

    /** Body: {@code {expressions}}; answer: {@code {results: [{expression, valid, error, paths}]}}. */
    @POST
    @Path("expressions/check")
    JsonNode check(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, Map<String, Object> request);

    /** The rendering of sample rows, with the same code as real files: {@code {fileName, lines, errors}}. */
    @POST
    @Path("previews")
    JsonNode preview(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, Map<String, Object> request);

    @ClientExceptionMapper
    static RuntimeException refusal(Response response) {
        return PeerCalls.refusal("extraction-service", response);
    }
}
