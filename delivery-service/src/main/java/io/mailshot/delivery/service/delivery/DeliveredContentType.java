package io.mailshot.delivery.service.delivery;

import io.mailshot.delivery.client.StagingBucket;
import io.mailshot.events.StagedFile;

/**
 * The {@code Content-Type} of a file delivered to S3 or Azure Blob: the one the extraction-service declared for
 * the staged object (media type and charset from the run's format, see its {@code FileContentType}), or OpenPGP's
 * once the routing encrypts it. SFTP has no content type.
 */
public final class DeliveredContentType {

    /** A binary OpenPGP message (RFC 3156), which is what a routing with a public key delivers. */
    static final String PGP = "application/pgp-encrypted";
    /** What an object that declares nothing is. */
    static final String UNKNOWN = "application/octet-stream";

    private DeliveredContentType() {}

    /** The content type {@code file} gets at the destination of {@code job}. */
    public static String of(DeliveryJob job, StagingBucket staging, StagedFile file) throws DeliveryException {
        return job.routing().pgp() != null ? PGP : of(staging.contentType(file), false);
    }

    /** The rule itself: what the staged object declared, unless the file is encrypted on the way. */
    static String of(String declared, boolean encrypted) {
        if (encrypted) {
            return PGP;
        }
        return declared == null || declared.isBlank() ? UNKNOWN : declared;
    }
}
