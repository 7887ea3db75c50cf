package io.mailshot.delivery.service.routing;

import io.mailshot.delivery.service.delivery.DeliveryException;
import io.mailshot.delivery.service.egress.EgressGuard;
import io.mailshot.delivery.service.egress.EgressRefusedException;
import io.mailshot.kit.domain.DomainException;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;

/**
 * The host a routing connects to, and its egress check as the API and a delivery report it. An S3 routing without
 * an endpoint goes to AWS' own endpoint ({@code s3.<region>.amazonaws.com}, the region being letters, digits and
 * hyphens only): there is no host of the user's to check.
 */
public final class Destinations {

    static final String SFTP_HOST = "sftp.host";
    static final String S3_ENDPOINT = "s3.endpoint";
    /** The Azure blob endpoint is given inside the connection string (BlobEndpoint or EndpointSuffix). */
    static final String AZURE_ENDPOINT = "azureBlob.connectionString";

    private Destinations() {}

    /** The host the routing connects to; null for S3 on AWS' default endpoint. */
    public static String host(Routing routing) {
        return switch (routing.type()) {
            case SFTP -> routing.sftp().host();
            case S3 ->
                routing.s3().endpoint() == null
                        ? null
                        : URI.create(routing.s3().endpoint()).getHost();
            case AZURE_BLOB ->
                URI.create(routing.azure().parsed().blobEndpoint()).getHost();
        };
    }

    /** The request field that gives the host of a routing of this type. */
    public static String field(RoutingType type) {
        return switch (type) {
            case SFTP -> SFTP_HOST;
            case S3 -> S3_ENDPOINT;
            case AZURE_BLOB -> AZURE_ENDPOINT;
        };
    }

    /**
     * Resolves and checks {@code host} for a request: 422 naming {@code field}, rule {@code egress} when the policy
     * refuses it, rule {@code resolvable} when the name has no address (it cannot be checked, so it is not saved).
     * A null host (S3 on AWS) passes.
     */
    public static void checkForApi(EgressGuard guard, String field, String host) {
        if (host == null) {
            return;
        }
        try {
            guard.check(host);
        } catch (EgressRefusedException e) {
            if (e.unresolvable()) {
                throw DomainException.invalid(
                        field,
                        "resolvable",
                        field + ": " + e.getMessage()
                                + " (the destination is checked against the egress policy before it is used)");
            }
            throw DomainException.invalid(field, "egress", field + ": " + e.getMessage() + "; nothing was sent to it");
        }
    }

    /**
     * Resolves and checks the routing's host before a delivery attempt connects (DNS may have changed since the
     * routing was saved): a refusal is a permanent failure, a name that does not resolve a transient one.
     */
    public static List<InetAddress> checkForDelivery(EgressGuard guard, String host) throws DeliveryException {
        if (host == null) {
            return List.of();
        }
        try {
            return guard.check(host);
        } catch (EgressRefusedException e) {
            if (e.unresolvable()) {
                throw DeliveryException.transientFailure("cannot resolve the destination: " + e.getMessage());
            }
            throw DeliveryException.permanent(
                    "the destination is refused by the egress policy: " + e.getMessage() + "; nothing was sent");
        }
    }
}
