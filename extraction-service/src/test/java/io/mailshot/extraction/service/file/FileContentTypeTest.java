package io.mailshot.extraction.service.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailshot.events.FileFormat;
import org.junit.jupiter.api.Test;

/** What a provider is told each file is: media type and charset, or the compression container. */
class FileContentTypeTest {

    @Test
    void uncompressedTextNamesItsMediaTypeAndCharset() {
        assertEquals("text/csv; charset=utf-8", FileContentType.of(layout("CSV", ",", "UTF_8", "NONE")));
        assertEquals("text/csv; charset=utf-8", FileContentType.of(layout("CSV", ",", "UTF_8_BOM", "NONE")));
        assertEquals(
                "text/tab-separated-values; charset=iso-8859-1",
                FileContentType.of(layout("DELIMITED", "\t", "ISO_8859_1", "NONE")));
        assertEquals(
                "text/plain; charset=windows-1252",
                FileContentType.of(layout("DELIMITED", ";", "WINDOWS_1252", "NONE")));
        assertEquals("text/plain; charset=utf-8", FileContentType.of(layout("DELIMITED", "|", "UTF_8", "NONE")));
        assertEquals(
                "text/plain; charset=iso-8859-1",
                FileContentType.of(layout("FIXED_WIDTH", null, "ISO_8859_1", "NONE")));
    }

    @Test
    void compressedPartsAreTheirContainer() {
        assertEquals("application/gzip", FileContentType.of(layout("DELIMITED", "\t", "WINDOWS_1252", "GZIP")));
        assertEquals("application/zip", FileContentType.of(layout("CSV", ",", "UTF_8", "ZIP")));
    }

    private static Layout layout(String type, String delimiter, String encoding, String compression) {
        return Layout.of(
                new FileFormat(
                        type,
                        delimiter,
                        null,
                        null,
                        null,
                        encoding,
                        null,
                        null,
                        null,
                        compression,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null),
                true);
    }
}
