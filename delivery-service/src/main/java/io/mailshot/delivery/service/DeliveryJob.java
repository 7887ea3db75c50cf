package io.mailshot.delivery.service;

import io.mailshot.events.StagedFile;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One delivery's work: the staged parts in order, then the manifest (null when none), to one routing, with
 * OpenPGP encryption when the routing has a public key. {@code deliveryId} makes temporary names stable, so a
 * retry or a restart overwrites its own leftovers instead of adding another copy.
 */
public record DeliveryJob(UUID deliveryId, Routing routing, List<StagedFile> parts, StagedFile manifest,
        java.util.function.BooleanSupplier cancelled) {

    public DeliveryJob(UUID deliveryId, Routing routing, List<StagedFile> parts, StagedFile manifest) {
        this(deliveryId, routing, parts, manifest, () -> false);
    }

    /**
     * Called by the transports after every part is uploaded (still invisible) and before anything is
     * published: a run cancelled meanwhile publishes nothing, and its uploads are aborted.
     */
    public void checkNotCancelled() throws DeliveryException {
        if (cancelled.getAsBoolean()) {
            throw DeliveryException.permanent("the run was cancelled; nothing was published");
        }
    }

    /** Every file in publication order: the parts, then the manifest. */
    public List<StagedFile> inOrder() {
        List<StagedFile> all = new ArrayList<>(parts == null ? List.of() : parts);
        if (manifest != null) {
            all.add(manifest);
        }
        return all;
    }

    /** The name the file gets at the destination. */
    public String deliveredName(StagedFile file) {
        return routing.pgp() == null ? file.name() : file.name() + PgpEncryption.SUFFIX;
    }

    /** What one staged file became at the destination: bytes written and their hashes. */
    public record Written(long bytes, String sha256, String md5) {
    }

    /**
     * Streams a staged file into {@code sink} (encrypting when the routing says so) and verifies that what was
     * read from staging is exactly the staged file, before the caller publishes anything.
     */
    public Written copy(StagingStore staging, StagedFile file, OutputStream sink) throws IOException,
            DeliveryException {
        HashingOutputStream counted = new HashingOutputStream(sink);
        try (HashingInputStream in = staging.open(file)) {
            if (routing.pgp() == null) {
                in.transferTo(counted);
            } else {
                try (OutputStream encrypted = routing.pgp().encrypt(counted, file.name())) {
                    in.transferTo(encrypted);
                }
            }
            counted.close();
            StagingStore.verify(file, in);
        }
        return new Written(counted.count(), counted.sha256(), counted.md5());
    }
}
