package io.mailshot.campaign.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailshot.events.MatchBack;
import io.mailshot.events.PressureCheck;
import io.mailshot.kit.domain.DomainException;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The audience-service's API as campaign-service reads it (base URL: {@code mailshot.peers.audience-url}). Every
 * call only reads, so a call that failed on the way is tried once more; one that took too long is not.
 */
@RegisterRestClient(configKey = "audience-service")
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
public interface AudienceApi {

    @GET
    @Path("audiences/{id}")
    JsonNode audience(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("id") UUID id);

    @GET
    @Path("profiles/{namespace}/{id}")
    JsonNode profile(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String bearer,
            @PathParam("namespace") String namespace,
            @PathParam("id") String id);

    /** Body: {@code {paths, sample}}; answer: {@code {sample, paths: [{path, known, filled, sampled}]}}. */
    @POST
    @Path("audiences/{id}/field-coverage")
    JsonNode coverage(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String bearer,
            @PathParam("id") UUID id,
            Map<String, Object> request);

    /** Answer: {@code {matchesAny: true | false | null}}, null when the store could not tell in time. */
    @GET
    @Path("audiences/{id}/matches-any")
    JsonNode matchesAny(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("id") UUID id);

    /** Answer: {@code {count}}, the non-test profiles the audience matches now. */
    @GET
    @Path("audiences/{id}/estimate")
    JsonNode estimate(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("id") UUID id);

    /** How many of the audience's profiles the rules would stop now (a POST that only reads). */
    @POST
    @Path("audiences/{id}/pressure-check")
    PressureCheck.Result pressureCheck(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("id") UUID id, PressureCheck request);

    /** The responses of a delivered run's mailed and held-out customers within the window. */
    @GET
    @Path("runs/{runId}/match-back")
    MatchBack matchBack(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String bearer,
            @PathParam("runId") UUID runId,
            @QueryParam("windowDays") int windowDays);

    @ClientExceptionMapper
    static RuntimeException refusal(Response response) {
        return PeerCalls.refusal("audience-service", response);
    }
}
