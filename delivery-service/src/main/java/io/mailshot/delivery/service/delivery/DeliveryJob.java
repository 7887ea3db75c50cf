package io.mailshot.delivery.service.delivery;

import io.mailshot.delivery.client.StagingBucket;
import io.mailshot.delivery.service.crypto.HashingInputStream;
import io.mailshot.delivery.service.crypto.HashingOutputStream;
import io.mailshot.delivery.service.crypto.PgpEncryption;
import io.mailshot.delivery.service.routing.Routing;
import io.mailshot.events.StagedFile;
import io.mailshot.events.files.NameTemplate;
import io.mailshot.events.files.PathRules;
import io.mailshot.events.files.RunManifest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * One delivery's work: the staged parts in order, then the manifest and the trigger file (each null when none), to
 * one routing, under the run's folder, with OpenPGP encryption when the routing has a public key and the delivery's
 * timestamp in the names when the routing asks for it. {@code deliveryId} makes temporary names stable, and
 * {@code stamp} comes from the delivery's creation time, so a retry or a restart overwrites its own leftovers and
 * final names instead of adding another copy.
 *
 * @param runFolder the run's folder under the routing's base folder (already validated), or null
 * @param stamp the timestamp put into names ({@link FileNames#stamp}), or null for plain names
 */
public record DeliveryJob(
        UUID deliveryId,
        Routing routing,
        List<StagedFile> parts,
        StagedFile manifest,
        StagedFile trigger,
        String runFolder,
        String stamp,
        BooleanSupplier cancelled,
        Progress progress) {

    /** Told as staged bytes are read and written on, and as each file is written (possibly from several threads). */
    public interface Progress {
        Progress NONE = new Progress() {
            @Override
            public void read(long bytes) {}

            @Override
            public void fileWritten() {}
        };

        void read(long bytes);

        void fileWritten();
    }

    public DeliveryJob(UUID deliveryId, Routing routing, List<StagedFile> parts, StagedFile manifest) {
        this(deliveryId, routing, parts, manifest, null, null, null, () -> false, Progress.NONE);
    }

    public DeliveryJob(
            UUID deliveryId,
            Routing routing,
            List<StagedFile> parts,
            StagedFile manifest,
            StagedFile trigger,
            String runFolder,
            String stamp,
            BooleanSupplier cancelled) {
        this(deliveryId, routing, parts, manifest, trigger, runFolder, stamp, cancelled, Progress.NONE);
    }

    /** The same job, telling {@code progress} how far it got. */
    public DeliveryJob withProgress(Progress progress) {
        return new DeliveryJob(deliveryId, routing, parts, manifest, trigger, runFolder, stamp, cancelled, progress);
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

    /** What is published after the parts, in order: the manifest, then the trigger file. */
    public List<StagedFile> tail() {
        List<StagedFile> tail = new ArrayList<>(2);
        if (manifest != null) {
            tail.add(manifest);
        }
        if (trigger != null) {
            tail.add(trigger);
        }
        return tail;
    }

    /** Every file in publication order: the parts, then the manifest, then the trigger file. */
    public List<StagedFile> inOrder() {
        List<StagedFile> all = new ArrayList<>(parts == null ? List.of() : parts);
        all.addAll(tail());
        return all;
    }

    /** The folder the files go to: the routing's base folder, then the run's folder; null for the root. */
    public String folder() {
        if (runFolder == null) {
            return routing.baseFolder();
        }
        return PathRules.join(routing.baseFolder(), runFolder);
    }

    /** {@code folder/name}, or just the name at the root. */
    public String path(String name) {
        return PathRules.join(folder(), name);
    }

    /** For humans and events: the routing's destination with the run's folder. */
    public String destination() {
        return routing.destination(folder());
    }

    /** The file's name as the provider reads it after decryption: timestamped when the routing says so. */
    public String plainName(StagedFile file) {
        return NameTemplate.stamped(file.name(), stamp);
    }

    /** The name the file gets at the destination. */
    public String deliveredName(StagedFile file) {
        String name = plainName(file);
        return routing.pgp() == null ? name : name + PgpEncryption.SUFFIX;
    }

    /** What one staged file became at the destination: bytes written and their hashes. */
    public record Written(long bytes, String sha256, String md5) {}

    /**
     * Streams a staged file into {@code sink} (encrypting when the routing says so) and verifies that what was
     * read from staging is exactly the staged file, before the caller publishes anything. With timestamped names,
     * the manifest and the trigger file are rewritten on the way so that they name the parts as delivered.
     */
    public Written copy(StagingBucket staging, StagedFile file, OutputStream sink)
            throws IOException, DeliveryException {
        // A file copied as it is (no encryption, no rewritten names) is the staged file: the SHA-256 it is
        // verified against on the way in is the delivered one, and hashing it again on the way out cost a
        // second pass over every byte of the run.
        boolean verbatim = routing.pgp() == null && !rewritten(file);
        HashingOutputStream counted = new HashingOutputStream(sink, !verbatim);
        String read;
        try (HashingInputStream in = staging.open(file)) {
            InputStream source = new CountingInput(in, progress);
            if (routing.pgp() == null) {
                transfer(file, source, counted);
            } else {
                try (OutputStream encrypted = routing.pgp().encrypt(counted, plainName(file))) {
                    transfer(file, source, encrypted);
                }
            }
            counted.close();
            read = StagingBucket.verify(file, in);
        }
        progress.fileWritten();
        return new Written(counted.count(), verbatim ? read : counted.sha256(), counted.md5());
    }

    /** Whether the file's content changes on the way: the manifest and trigger file name timestamped parts. */
    private boolean rewritten(StagedFile file) {
        return stamp != null && (file == manifest || file == trigger);
    }

    private void transfer(StagedFile file, InputStream in, OutputStream out) throws IOException {
        if (!rewritten(file)) {
            in.transferTo(out);
            return;
        }
        Map<String, String> names = new LinkedHashMap<>();
        for (StagedFile part : parts) {
            names.put(part.name(), plainName(part));
        }
        if (file == manifest) {
            RunManifest.rewriteJson(in, out, names);
        } else {
            RunManifest.rewriteCsv(in, out, names);
        }
        // Read to the end, so the staged file is verified whole (size and SHA-256) like any other.
        in.transferTo(OutputStream.nullOutputStream());
    }

    /** Tells the job's progress how many staged bytes were read; closing it leaves the staged stream to its owner. */
    private static final class CountingInput extends FilterInputStream {
        private final Progress progress;

        CountingInput(InputStream in, Progress progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                progress.read(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                progress.read(n);
            }
            return n;
        }

        @Override
        public void close() {
            // The staged stream is closed, and verified, by copy.
        }
    }
}
