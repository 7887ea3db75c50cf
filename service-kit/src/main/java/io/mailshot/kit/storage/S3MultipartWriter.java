package io.mailshot.kit.storage;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * The one S3 multipart uploader, shared by staging (extraction-service) and S3 delivery: parts are uploaded in
 * parallel on the caller's pool, recorded in order, and a failure cancels the parts in flight (the caller, or
 * {@link #uploadFile}, aborts the upload, so nothing partial becomes visible). A local file is cut into slices
 * that are re-read from disk (nothing held in memory, every part queued at once: the pool bounds the
 * parallelism); a stream is cut into {@code partSize} buffers, at most {@code partsInFlight} uploading per
 * object, so memory does not depend on the object's size. Needs the AWS SDK, which the kit declares optional.
 */
public final class S3MultipartWriter {

    private static final Logger LOG = Logger.getLogger(S3MultipartWriter.class);
    private static final Pattern MD5_ETAG = Pattern.compile("^[0-9a-f]{32}$");
    /** S3 refuses parts below 5 MiB (except the last one). */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

    /** How a part's content is checked. */
    public enum Checksum {
        /** Not checked beyond what the transport does (the internal staging bucket). */
        NONE,
        /** The part's MD5 compared with the ETag the store answers, where the ETag is an MD5. */
        VERIFY_ETAG,
        /** The part's MD5 sent as Content-MD5, checked by the store (when ETags are no digests, e.g. SSE-KMS). */
        CONTENT_MD5
    }

    private final ExecutorService pool;
    private final int partSize;
    private final int partsInFlight;
    private final BlockingQueue<byte[]> idleBuffers;

    /**
     * @param pool where parts are uploaded (the caller owns and sizes it)
     * @param partSize bytes per part (at least {@link #MIN_PART_SIZE})
     * @param partsInFlight parts of one streamed object uploading at once
     */
    public S3MultipartWriter(ExecutorService pool, long partSize, int partsInFlight) {
        if (partSize < MIN_PART_SIZE || partSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("part size must be between 5 MiB and 2 GiB: " + partSize);
        }
        this.pool = pool;
        this.partSize = (int) partSize;
        this.partsInFlight = Math.max(1, partsInFlight);
        // Part buffers are humongous objects for G1: reusing them keeps the heap from growing with the parts sent.
        this.idleBuffers = new ArrayBlockingQueue<>(2 * (this.partsInFlight + 1));
    }

    public int partSize() {
        return partSize;
    }

    /**
     * Uploads {@code size} bytes of a local file to {@code key} as one multipart upload and completes it; any
     * failure cancels the parts still queued and aborts the upload before it is thrown.
     */
    public void uploadFile(S3Client s3, String bucket, String key, String contentType, Path file, long size) {
        String uploadId = s3.createMultipartUpload(
                        b -> b.bucket(bucket).key(key).contentType(contentType))
                .uploadId();
        List<Future<CompletedPart>> pending = new ArrayList<>();
        try {
            int number = 1;
            for (long offset = 0; offset < size; offset += partSize, number++) {
                long start = offset;
                long length = Math.min(partSize, size - offset);
                int partNumber = number;
                pending.add(pool.submit(() -> {
                    String etag = s3.uploadPart(
                                    b -> b.bucket(bucket)
                                            .key(key)
                                            .uploadId(uploadId)
                                            .partNumber(partNumber)
                                            .contentLength(length),
                                    RequestBody.fromContentProvider(slice(file, start, length), length, contentType))
                            .eTag();
                    return CompletedPart.builder()
                            .partNumber(partNumber)
                            .eTag(etag)
                            .build();
                }));
            }
            List<CompletedPart> parts = new ArrayList<>();
            for (Future<CompletedPart> part : pending) {
                parts.add(await(part, key));
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket)
                    .key(key)
                    .uploadId(uploadId)
                    .multipartUpload(
                            CompletedMultipartUpload.builder().parts(parts).build()));
        } catch (RuntimeException e) {
            pending.forEach(f -> f.cancel(true));
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (RuntimeException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    /**
     * A stream that uploads what is written to it as the parts of {@code uploadId} (created by the caller, which
     * also completes or aborts it). {@link PartStream#finish()} sends the last part and returns every part.
     */
    public PartStream stream(S3Client s3, String bucket, String key, String uploadId, Checksum checksum) {
        return new PartStream(s3, bucket, key, uploadId, checksum);
    }

    /** Aborts an upload, logging (not throwing) when the store refuses: the caller is already failing. */
    public static void abort(S3Client s3, String bucket, String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (RuntimeException e) {
            LOG.warnf("could not abort the multipart upload of s3://%s/%s: %s", bucket, key, e.getMessage());
        }
    }

    /** An ETag without its quotes; null stays null. */
    public static String unquote(String etag) {
        if (etag == null) {
            return null;
        }
        return etag.startsWith("\"") && etag.endsWith("\"") && etag.length() >= 2
                ? etag.substring(1, etag.length() - 1)
                : etag;
    }

    private byte[] takeBuffer() {
        byte[] buffer = idleBuffers.poll();
        return buffer != null ? buffer : new byte[partSize];
    }

    private void giveBuffer(byte[] buffer) {
        if (buffer != null) {
            idleBuffers.offer(buffer);
        }
    }

    /**
     * Cuts a stream into parts and uploads them while the next one fills: at most {@code partsInFlight} at a
     * time, so at most {@code partsInFlight + 1} buffers exist per object whatever its size. Parts are recorded
     * in order.
     */
    public final class PartStream extends ChunkedSink {
        private final S3Client s3;
        private final String bucket;
        private final String key;
        private final String uploadId;
        private final Checksum checksum;
        private final Deque<InFlight> inFlight = new ArrayDeque<>();
        private final List<CompletedPart> parts = new ArrayList<>();

        /** A part being uploaded and the buffer it reads, which is reused only once the upload has ended. */
        private record InFlight(Future<CompletedPart> upload, byte[] data) {}

        private PartStream(S3Client s3, String bucket, String key, String uploadId, Checksum checksum) {
            super(takeBuffer());
            this.s3 = s3;
            this.bucket = bucket;
            this.key = key;
            this.uploadId = uploadId;
            this.checksum = checksum;
        }

        /** Sends the last part (S3 needs at least one, possibly empty), waits for every part and returns them. */
        public List<CompletedPart> finish() throws IOException {
            flushLast(true);
            while (!inFlight.isEmpty()) {
                collect(inFlight.removeFirst());
            }
            giveBuffer(releaseBuffer());
            return List.copyOf(parts);
        }

        /**
         * After a failure: stops the parts still in flight before the upload is aborted. Their buffers are
         * dropped, not reused: a cancelled upload's thread may still be reading one.
         */
        public void cancel() {
            inFlight.forEach(f -> f.upload().cancel(true));
            inFlight.clear();
        }

        @Override
        protected byte[] chunk(byte[] data, int length, int number) throws IOException {
            if (inFlight.size() >= partsInFlight) {
                collect(inFlight.removeFirst());
            }
            inFlight.addLast(new InFlight(pool.submit(() -> upload(data, length, number)), data));
            return takeBuffer(); // data belongs to the upload until it has ended
        }

        private CompletedPart upload(byte[] data, int length, int number) throws IOException {
            String expected = null;
            String contentMd5 = null;
            if (checksum != Checksum.NONE) {
                MessageDigest md5 = md5();
                md5.update(data, 0, length);
                byte[] digest = md5.digest();
                expected = HexFormat.of().formatHex(digest);
                contentMd5 =
                        checksum == Checksum.CONTENT_MD5 ? Base64.getEncoder().encodeToString(digest) : null;
            }
            String sentMd5 = contentMd5;
            String etag = s3.uploadPart(
                            b -> b.bucket(bucket)
                                    .key(key)
                                    .uploadId(uploadId)
                                    .partNumber(number)
                                    .contentLength((long) length)
                                    .contentMD5(sentMd5),
                            RequestBody.fromContentProvider(
                                    () -> new ByteArrayInputStream(data, 0, length),
                                    length,
                                    "application/octet-stream"))
                    .eTag();
            String actual = unquote(etag);
            if (checksum == Checksum.VERIFY_ETAG
                    && actual != null
                    && MD5_ETAG.matcher(actual.toLowerCase(Locale.ROOT)).matches()
                    && !actual.equalsIgnoreCase(expected)) {
                throw new IOException("part " + number + " of " + key + " arrived corrupted (ETag " + actual
                        + ", expected " + expected + ")");
            }
            return CompletedPart.builder().partNumber(number).eTag(etag).build();
        }

        /** Waits for the oldest part; its failure (an SDK or I/O error) is the copy's failure. */
        private void collect(InFlight part) throws IOException {
            try {
                parts.add(part.upload().get());
                giveBuffer(part.data());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while uploading " + key, e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IOException(e.getCause());
            }
        }
    }

    private static CompletedPart await(Future<CompletedPart> part, String key) {
        try {
            return part.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while uploading " + key, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A re-openable view of part of a file, so the SDK can retry a part without holding it in memory. */
    private static ContentStreamProvider slice(Path file, long offset, long length) {
        return () -> {
            try {
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                channel.position(offset);
                return new LimitedInputStream(Channels.newInputStream(channel), length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** Reads at most {@code remaining} bytes of the underlying stream. */
    private static final class LimitedInputStream extends FilterInputStream {
        private long remaining;

        LimitedInputStream(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(Math.min(n, remaining));
            remaining -= skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), remaining);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
