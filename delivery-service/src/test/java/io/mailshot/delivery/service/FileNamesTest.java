package io.mailshot.delivery.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class FileNamesTest {

    private static final String STAMP = FileNames.stamp(Instant.parse("2026-11-28T18:04:36.987Z"));

    @Test
    void stampIsUtcToTheSecond() {
        assertEquals("20261128T180436Z", STAMP);
    }

    @Test
    void stampGoesBeforeEveryExtensionThatSaysWhatTheContentIs() {
        assertEquals("mail-001_20261128T180436Z.csv", FileNames.stamped("mail-001.csv", STAMP));
        assertEquals("mail-001_20261128T180436Z.csv.gz", FileNames.stamped("mail-001.csv.gz", STAMP));
        assertEquals("mail_20261128T180436Z.csv.pgp", FileNames.stamped("mail.csv.pgp", STAMP));
        assertEquals("mail_20261128T180436Z.txt.gz.gpg", FileNames.stamped("mail.txt.gz.gpg", STAMP));
        assertEquals("mail_20261128T180436Z.manifest.json", FileNames.stamped("mail.manifest.json", STAMP));
        assertEquals("mail_20261128T180436Z.manifest.csv", FileNames.stamped("mail.manifest.csv", STAMP));
        // One content extension is kept before the wrappers, whatever it is (as for mail.csv.zip).
        assertEquals("a_20261128T180436Z.b.zip", FileNames.stamped("a.b.zip", STAMP));
        assertEquals("README_20261128T180436Z", FileNames.stamped("README", STAMP));
        assertEquals("x_20261128T180436Z.gz", FileNames.stamped("x.gz", STAMP));
        assertEquals("weird.extension-with-dash_20261128T180436Z",
                FileNames.stamped("weird.extension-with-dash", STAMP));
    }

    @Test
    void noStampNoChange() {
        assertEquals("mail-001.csv.gz", FileNames.stamped("mail-001.csv.gz", null));
    }
}
