package io.mailshot.audience.service.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class StrictDecoderTest {

    private static List<Integer> decode(byte[] bytes, Charset charset) throws IOException {
        // One byte per read: every sequence is split across reads at some point.
        InputStream trickle = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
        StrictDecoder d = new StrictDecoder(trickle, charset);
        List<Integer> out = new ArrayList<>();
        for (int c = d.read(); c != -1; c = d.read()) {
            out.add(c);
        }
        return out;
    }

    @Test
    void badSequencesAreReportedOnceInPlaceAndDecodingGoesOn() throws IOException {
        byte[] bytes = HexFormat.of().parseHex("41e942" + "c3a9" + "c0af" + "43" + "e282");
        assertEquals(
                List.of(
                        (int) 'A',
                        StrictDecoder.MALFORMED,
                        (int) 'B',
                        (int) 'é',
                        StrictDecoder.MALFORMED,
                        StrictDecoder.MALFORMED,
                        (int) 'C',
                        StrictDecoder.MALFORMED),
                decode(bytes, StandardCharsets.UTF_8));
    }

    @Test
    void aSingleByteCharsetDecodesEveryByteAndWindows1252RefusesItsHoles() throws IOException {
        byte[] latin = HexFormat.of().parseHex("e9e0ff");
        assertEquals(List.of((int) 'é', (int) 'à', (int) 'ÿ'), decode(latin, StandardCharsets.ISO_8859_1));
        byte[] cp1252 = HexFormat.of().parseHex("80" + "81" + "9c");
        assertEquals(
                List.of((int) '€', StrictDecoder.MALFORMED, (int) 'œ'),
                decode(cp1252, Charset.forName("windows-1252")));
    }

    @Test
    void aLargeBodyDecodesExactly() throws IOException {
        String text = "Zoë;Łódź;€;😀\n".repeat(20_000);
        StrictDecoder d = new StrictDecoder(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder();
        for (int c = d.read(); c != -1; c = d.read()) {
            b.append((char) c);
        }
        assertEquals(text, b.toString());
    }

    @Test
    void transcodingToUtf8MarksBadInputWithAByteNeverValid() throws IOException {
        byte[] cp1252 = HexFormat.of().parseHex("4180" + "81" + "0a" + "e9");
        byte[] out = new Utf8Transcoding(
                        new StrictDecoder(new ByteArrayInputStream(cp1252), Charset.forName("windows-1252")))
                .readAllBytes();
        assertArrayEquals(HexFormat.of().parseHex("41e282ac" + "ff" + "0a" + "c3a9"), out);
        byte[] utf16 = "a😀\n".getBytes(StandardCharsets.UTF_16);
        // The UTF-16 decoder takes the byte-order mark as the byte order, not as a character.
        assertArrayEquals(
                "a😀\n".getBytes(StandardCharsets.UTF_8),
                new Utf8Transcoding(new StrictDecoder(new ByteArrayInputStream(utf16), StandardCharsets.UTF_16))
                        .readAllBytes());
    }
}
