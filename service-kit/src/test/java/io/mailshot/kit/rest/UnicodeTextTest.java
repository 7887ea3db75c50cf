package io.mailshot.kit.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What text the API refuses, how a URI component is decoded strictly, and how a problem echoes text safely. */
class UnicodeTextTest {

    @Test
    void refusesNulAndLoneSurrogatesOnly() {
        assertNull(UnicodeText.problem("Zoë 😀 \t\u0001 \uFFFD"));
        assertTrue(UnicodeText.problem("a\u0000b").contains("NUL"));
        assertTrue(UnicodeText.problem("a\uD800").contains("U+D800"));
        assertTrue(UnicodeText.problem("\uDE00a").contains("U+DE00"));
        assertTrue(UnicodeText.problem("\uDE00\uD83D").contains("U+DE00"));
    }

    @Test
    void decodesOnlyWellFormedUtf8() {
        assertEquals("a b+c", UnicodeText.decodeStrict("a%20b%2Bc", false));
        assertEquals("a b", UnicodeText.decodeStrict("a+b", true));
        assertEquals("Zoë", UnicodeText.decodeStrict("Zo%C3%AB", false));
        assertEquals("a\u0000b", UnicodeText.decodeStrict("a%00b", false));
        assertNull(UnicodeText.decodeStrict("%ED%A0%80", false));
        assertNull(UnicodeText.decodeStrict("%FF", false));
        assertNull(UnicodeText.decodeStrict("%C0%80", false));
        assertNull(UnicodeText.decodeStrict("%E2%82", false));
        assertNull(UnicodeText.decodeStrict("%zz", false));
        assertNull(UnicodeText.decodeStrict("%4", false));
    }

    @Test
    void echoesAnythingAsPrintableText() {
        assertEquals("a\uFFFDb\uFFFD😀", UnicodeText.printable("a\u0000b\uD800😀"));
        assertEquals("plain", UnicodeText.printable("plain"));
    }

    @Test
    void describesLimitsForPeople() {
        assertEquals("1 MiB (1048576 bytes)", BodyLimits.describe(1L << 20));
        assertEquals("2 GiB (2147483648 bytes)", BodyLimits.describe(2L << 30));
        assertEquals("256 KiB (262144 bytes)", BodyLimits.describe(256 * 1024));
        assertEquals("1000 bytes", BodyLimits.describe(1000));
    }
}
