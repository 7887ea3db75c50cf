package io.mailshot.audience.service.ingest;

import io.mailshot.kit.domain.DomainException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The rules shared by every streamed upload about the charset it declares: what a bad byte sequence is called,
 * and the first bytes that show the body is not in the declared charset at all (a byte-order mark of another
 * encoding), which refuse the whole request before anything is stored.
 */
public final class BodyCharset {

    private BodyCharset() {}

    /**
     * The body, its first bytes looked at and put back. A UTF-16 byte-order mark in a body that does not declare
     * UTF-16, or a UTF-8 one in a body that declares a charset other than a UTF, means every line would be read
     * wrongly: 422 naming {@code body}.
     */
    public static InputStream checkStart(InputStream body, Charset charset) throws IOException {
        PushbackInputStream in = new PushbackInputStream(body, 3);
        byte[] first = new byte[3];
        int n = 0;
        while (n < 3) {
            int r = in.read(first, n, 3 - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        in.unread(first, 0, n);
        boolean unicode = charset.name().toUpperCase(Locale.ROOT).contains("UTF");
        boolean utf16Mark = n >= 2
                && ((first[0] == (byte) 0xFE && first[1] == (byte) 0xFF)
                        || (first[0] == (byte) 0xFF && first[1] == (byte) 0xFE));
        boolean utf8Mark = n == 3 && first[0] == (byte) 0xEF && first[1] == (byte) 0xBB && first[2] == (byte) 0xBF;
        if (utf16Mark && (charset.equals(StandardCharsets.UTF_8) || !unicode)) {
            throw DomainException.invalid(
                    "body",
                    "charset",
                    "the body starts with a UTF-16 byte-order mark but is" + " declared as " + charset.name()
                            + ": declare charset=UTF-16 in Content-Type");
        }
        if (utf8Mark && !unicode) {
            throw DomainException.invalid(
                    "body",
                    "charset",
                    "the body starts with a UTF-8 byte-order mark but is" + " declared as " + charset.name()
                            + ": declare charset=UTF-8 in Content-Type");
        }
        return in;
    }

    /** Why a line was refused for a byte sequence the charset does not allow, with where it is. */
    public static String notValid(Charset charset, long line, int column, String field) {
        String where = "line " + line + ", column " + column + (field == null ? "" : " (" + field + ")");
        if (charset.equals(StandardCharsets.UTF_8)) {
            return where + ": bytes that are not valid UTF-8; a body in another charset must declare it in"
                    + " Content-Type, e.g. charset=windows-1252";
        }
        return where + ": bytes that are not valid " + charset.name();
    }

    /** Why a line was refused for a byte-order mark that is not at the start of the body. */
    public static String misplacedBom(long line) {
        return "line " + line + ", column 1: a byte-order mark (U+FEFF) is only allowed at the start of the body";
    }
}
