package io.mailshot.kit.storage;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Cuts a stream into fixed-size chunks (S3 parts, Azure blocks) and hands each full one to
 * {@link #chunk}. Only the chunk being filled is held here, so memory does not depend on the file size.
 */
public abstract class ChunkedSink extends OutputStream {

    private final int chunkSize;
    private byte[] buffer;
    private int filled;
    private int chunks;

    protected ChunkedSink(int chunkSize) {
        this(new byte[chunkSize]);
    }

    /** Fills {@code first} (its length is the chunk size) before the buffers {@link #chunk} returns. */
    protected ChunkedSink(byte[] first) {
        this.chunkSize = first.length;
        this.buffer = first;
    }

    /** The buffer being filled, handed back by a sink that is done (so a pool can reuse it); null after. */
    protected byte[] releaseBuffer() {
        byte[] released = buffer;
        buffer = null;
        return released;
    }

    /**
     * Takes a chunk (numbered from 1) and returns the buffer to fill next: {@code data} itself when the chunk
     * was fully sent, or a fresh buffer when {@code data} is still in use (an upload in flight).
     */
    protected abstract byte[] chunk(byte[] data, int length, int number) throws IOException;

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, chunkSize - filled);
            System.arraycopy(b, off, buffer, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == chunkSize) {
                emit();
            }
        }
    }

    /** Hands over the last, partly filled chunk; an empty one only when {@code evenEmpty} and none was sent. */
    protected void flushLast(boolean evenEmpty) throws IOException {
        if (filled > 0 || (evenEmpty && chunks == 0)) {
            emit();
        }
    }

    private void emit() throws IOException {
        int length = filled;
        filled = 0;
        buffer = chunk(buffer, length, ++chunks);
    }
}
