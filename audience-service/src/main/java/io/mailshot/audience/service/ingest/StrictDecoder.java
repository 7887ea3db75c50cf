package io.mailshot.audience.service.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

/**
 * Decodes a byte stream in a declared charset, refusing to guess: a byte sequence that is malformed or has no
 * character in that charset is not replaced (as {@link java.io.InputStreamReader} does, with U+FFFD) but returned
 * as {@link #MALFORMED}, once per bad sequence, and skipped, so the caller can say where it was and go on to the
 * next line. Fixed buffers: nothing is allocated per byte or per character.
 */
public final class StrictDecoder {

    /** Returned by {@link #read()} in place of a byte sequence the charset does not allow. */
    static final int MALFORMED = -2;

    private final InputStream in;
    private final CharsetDecoder decoder;
    private final Charset charset;
    private final byte[] inBytes = new byte[64 * 1024];
    private final ByteBuffer bytes = ByteBuffer.wrap(inBytes);
    private final char[] out = new char[16 * 1024];
    private final CharBuffer chars = CharBuffer.wrap(out);
    private int pos;
    private int limit;
    private boolean malformedNext;
    private boolean endOfInput;
    private boolean done;

    public StrictDecoder(InputStream in, Charset charset) {
        this.in = in;
        this.charset = charset;
        this.decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        bytes.limit(0);
    }

    Charset charset() {
        return charset;
    }

    /** The next character, {@link #MALFORMED} for a bad byte sequence, or -1 at the end. */
    int read() throws IOException {
        if (pos < limit) {
            return out[pos++];
        }
        while (true) {
            if (pos < limit) {
                return out[pos++];
            }
            if (malformedNext) {
                // The characters decoded before the bad sequence came first; now the sequence itself.
                malformedNext = false;
                return MALFORMED;
            }
            if (done) {
                return -1;
            }
            decodeSome();
        }
    }

    private void decodeSome() throws IOException {
        chars.clear();
        while (chars.position() == 0 && !malformedNext && !done) {
            CoderResult result = decoder.decode(bytes, chars, endOfInput);
            if (result.isError()) {
                bytes.position(bytes.position() + result.length());
                malformedNext = true;
            } else if (result.isOverflow()) {
                break;
            } else if (endOfInput) {
                decoder.flush(chars);
                done = true;
            } else if (chars.position() == 0) {
                fill();
            }
        }
        pos = 0;
        limit = chars.position();
    }

    private void fill() throws IOException {
        bytes.compact();
        int n = in.read(inBytes, bytes.position(), bytes.remaining());
        if (n < 0) {
            endOfInput = true;
        } else {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
    }
}
