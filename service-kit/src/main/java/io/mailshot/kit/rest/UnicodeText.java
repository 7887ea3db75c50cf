package io.mailshot.kit.rest;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The one rule for client text, wherever it arrives (JSON string, member name, path, query or header): it must be
 * storable and readable back exactly. NUL cannot be stored by PostgreSQL, and a lone UTF-16 surrogate has no UTF-8
 * form (it came back as {@code ?}); both are refused instead of failing later or being altered.
 */
public final class UnicodeText {

    private UnicodeText() {}

    /** What is wrong with {@code text}, phrased to follow a field name, or null when it is fine. */
    public static String problem(CharSequence text) {
        if (text == null) {
            return null;
        }
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "must not contain a NUL character (U+0000)";
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "must be valid Unicode text: it contains a lone UTF-16 surrogate (U+"
                        + Integer.toHexString(c).toUpperCase() + ")";
            }
        }
        return null;
    }

    /**
     * Percent-decodes a raw URI component, refusing what a lenient decoder would silently replace: bytes that
     * are not UTF-8 (the encoding of a lone surrogate included) and broken escapes. Null when it cannot be decoded.
     *
     * @param plusIsSpace true for a query component, where {@code +} stands for a space
     */
    public static String decodeStrict(String raw, boolean plusIsSpace) {
        if (raw.indexOf('%') < 0 && !(plusIsSpace && raw.indexOf('+') >= 0)) {
            return raw;
        }
        byte[] bytes = new byte[raw.length() * 3];
        int n = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes[n++] = ' ';
            } else {
                byte[] literal = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(literal, 0, bytes, n, literal.length);
                n += literal.length;
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, n))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** {@code text} made safe to echo in a problem: NUL and lone surrogates become U+FFFD, never an error. */
    public static String printable(String text) {
        if (text == null || problem(text) == null) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                out.append(c == 0 || Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }
}
