package io.mailshot.delivery.service.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A delivered object says what the extraction declared, or that it is OpenPGP once encrypted. */
class DeliveredContentTypeTest {

    @Test
    void theStagedDeclarationIsPassedOn() {
        assertEquals(
                "text/plain; charset=iso-8859-1", DeliveredContentType.of("text/plain; charset=iso-8859-1", false));
        assertEquals("application/gzip", DeliveredContentType.of("application/gzip", false));
    }

    @Test
    void anEncryptedFileIsOpenPgpWhateverItHolds() {
        assertEquals("application/pgp-encrypted", DeliveredContentType.of("text/csv; charset=utf-8", true));
    }

    @Test
    void aFileThatDeclaresNothingIsOctets() {
        assertEquals("application/octet-stream", DeliveredContentType.of(null, false));
        assertEquals("application/octet-stream", DeliveredContentType.of(" ", false));
    }
}
