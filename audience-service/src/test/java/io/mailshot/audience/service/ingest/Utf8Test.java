package io.mailshot.audience.service.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {

    private static int invalidAt(String hex) {
        byte[] b = HexFormat.of().parseHex(hex);
        return Utf8.invalidAt(b, 0, b.length);
    }

    @Test
    void wellFormedSequencesPass() {
        assertEquals(-1, invalidAt(""));
        assertEquals(-1, invalidAt("41")); // A
        assertEquals(-1, invalidAt("c3a9")); // é
        assertEquals(-1, invalidAt("e282ac")); // €
        assertEquals(-1, invalidAt("efbbbf")); // U+FEFF
        assertEquals(-1, invalidAt("ed9fbf")); // U+D7FF, just below the surrogates
        assertEquals(-1, invalidAt("ee8080")); // U+E000, just above them
        assertEquals(-1, invalidAt("f09f9880")); // an emoji
        assertEquals(-1, invalidAt("f48fbfbf")); // U+10FFFF
        assertEquals(-1, invalidAt("00")); // NUL is valid UTF-8 (refused later, by the profile rules)
    }

    @Test
    void everyIllFormedKindIsFoundAtItsFirstByte() {
        assertEquals(1, invalidAt("41e9")); // Latin-1 é at the end
        assertEquals(1, invalidAt("41e942")); // Latin-1 é followed by ASCII
        assertEquals(0, invalidAt("80")); // a continuation byte alone
        assertEquals(0, invalidAt("c0af")); // overlong '/'
        assertEquals(0, invalidAt("c180")); // overlong
        assertEquals(0, invalidAt("e08080")); // overlong NUL in three bytes
        assertEquals(0, invalidAt("e09fbf")); // overlong
        assertEquals(0, invalidAt("f08fbfbf")); // overlong in four bytes
        assertEquals(0, invalidAt("eda080")); // U+D800, a surrogate
        assertEquals(0, invalidAt("edbfbf")); // U+DFFF
        assertEquals(0, invalidAt("f4908080")); // beyond U+10FFFF
        assertEquals(0, invalidAt("f5808080"));
        assertEquals(0, invalidAt("ff"));
        assertEquals(2, invalidAt("4142c3")); // cut short at the end
        assertEquals(2, invalidAt("4142e282")); // cut short at the end
        assertEquals(2, invalidAt("4142e28241")); // cut short before ASCII
        assertEquals(0, invalidAt("f09f98")); // a four-byte sequence cut short
    }

    @Test
    void agreesWithTheJdkStrictDecoderOnRandomBytes() {
        Random random = new Random(17);
        CharsetDecoder jdk = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        for (int round = 0; round < 200_000; round++) {
            // Short arrays of mostly high bytes, and longer ones of mostly ASCII (read eight bytes at a time).
            boolean longer = random.nextBoolean();
            byte[] b = new byte[1 + random.nextInt(longer ? 40 : 8)];
            int asciiOdds = longer ? 12 : 4;
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte)
                        (random.nextInt(asciiOdds) != 0 == longer ? random.nextInt(128) : 0x80 + random.nextInt(128));
            }
            int expected = -1;
            try {
                jdk.reset().decode(ByteBuffer.wrap(b));
            } catch (CharacterCodingException e) {
                expected = firstMalformed(b);
            }
            assertEquals(
                    expected, Utf8.invalidAt(b, 0, b.length), HexFormat.of().formatHex(b));
        }
    }

    /** Where the JDK's strict decoder stops, found by decoding ever longer prefixes' complete characters. */
    private static int firstMalformed(byte[] b) {
        CharsetDecoder d = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b);
        CharBuffer out = CharBuffer.allocate(b.length * 2);
        var result = d.decode(in, out, true);
        return result.isError() ? in.position() : -1;
    }

    @Test
    void columnsCountCharactersNotBytes() {
        byte[] b = "aé€😀".getBytes(StandardCharsets.UTF_8);
        byte[] line = new byte[b.length + 1];
        System.arraycopy(b, 0, line, 0, b.length);
        line[b.length] = (byte) 0xE9;
        assertEquals(b.length, Utf8.invalidAt(line, 0, line.length));
        assertEquals(5, Utf8.column(line, 0, b.length));
    }
}
