package io.mailshot.events.files;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Collections;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The template rules the campaign-service applies when a campaign is saved, and the promise they make: what is
 * accepted then is accepted by the extraction- and delivery-service at run time, with the same code.
 */
class NameTemplateTest {

    private static final Instant AT = Instant.parse("2026-11-28T18:04:36Z");

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{campaign.name}-{run.date:yyyyMMdd}.csv",
                "mail-{part:03}.csv",
                "{run.id}.txt",
                "{campaign.name}_{campaign.id}_{run.date:yyyy-MM-dd_HH-mm-ss}-{part}.csv",
                NameTemplate.DEFAULT_TEMPLATE
            })
    void acceptedFileNamesPassTheRunTimeRules(String template) {
        NameTemplate.validate(template);
        String rendered =
                NameTemplate.render(template, "Spring Mailing – été", UUID.randomUUID(), UUID.randomUUID(), AT);
        assertDoesNotThrow(() -> NameTemplate.checkRunFileName(rendered));
        for (int part : new int[] {1, 999}) {
            for (String compression : new String[] {"", ".gz"}) {
                String name = NameTemplate.partName(rendered, part, true, compression);
                assertDoesNotThrow(() -> PathRules.checkFileName(name), name);
                assertDoesNotThrow(() -> PathRules.checkFileName(NameTemplate.stamped(name, NameTemplate.stamp(AT))));
            }
        }
        assertDoesNotThrow(() -> PathRules.checkFileName(NameTemplate.manifestJsonName(rendered)));
        assertDoesNotThrow(() -> PathRules.checkFileName(NameTemplate.manifestCsvName(rendered)));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "exports",
                "exports/{campaign.name}/{run.date:yyyyMM}",
                "a/b/c/d/e/f/g/h/i/j",
                "{campaign.id}/{run.id}"
            })
    void acceptedFoldersPassTheRunTimeRule(String template) {
        NameTemplate.validateFolder(template);
        String rendered = NameTemplate.render(template, "Spring", UUID.randomUUID(), UUID.randomUUID(), AT);
        assertEquals(rendered, PathRules.checkFolder(rendered));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "../x",
                "/abs",
                "a//b",
                "a/",
                "a\\b",
                "C:/x",
                "a/./b",
                "a b",
                "a/{part}",
                "{unknown}",
                "a/{run.date}",
                "x\ty"
            })
    void foldersThatCouldEscapeOrReadDifferentlyAreRefused(String template) {
        assertThrows(NameRuleException.class, () -> NameTemplate.validateFolder(template));
    }

    @Test
    void aFolderTooLongForTheRunTimeRuleIsRefusedWhenSaved() {
        // Ten segments of 60 characters render 609 characters: more than a run folder may have.
        String segment = "{campaign.name}";
        String template = String.join("/", Collections.nCopies(10, segment));
        String longName = "x".repeat(60);
        NameRuleException e = assertThrows(
                NameRuleException.class,
                () -> NameTemplate.checkRenderedFolder(NameTemplate.render(template, longName, null, null, AT)));
        assertEquals("folder-length", e.rule());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a/b.csv",
                "..csv",
                "x{y}.csv",
                "{run.date}.csv",
                "a b.csv",
                "{part:3}.csv",
                "{campaign.name:x}.csv"
            })
    void fileNamesThatAreNotPlainAreRefused(String template) {
        assertThrows(NameRuleException.class, () -> NameTemplate.validate(template));
    }

    @Test
    void partsAreNamedByPlaceholderOrSuffix() {
        assertEquals("m-007.csv.gz", NameTemplate.partName("m-{part:03}.csv", 7, true, ".gz"));
        assertEquals("m-7.csv", NameTemplate.partName("m-{part}.csv", 7, false, ""));
        assertEquals("m-part007.csv", NameTemplate.partName("m.csv", 7, true, ""));
        assertEquals("m.csv", NameTemplate.partName("m.csv", 1, false, ""));
        assertEquals("m.manifest.json", NameTemplate.manifestJsonName("m-{part:03}.csv"));
        assertEquals("file.manifest.csv", NameTemplate.manifestCsvName("{part}.csv"));
    }

    @Test
    void runFileNamesFromEventsAreCheckedAgain() {
        for (String bad : new String[] {
            "", "a/b-{part}.csv", "../x.csv", "x-{run.id}.csv", ".hidden.csv", "x\u0000.csv", "a:b.csv"
        }) {
            assertThrows(NameRuleException.class, () -> NameTemplate.checkRunFileName(bad), bad);
        }
        assertDoesNotThrow(() -> NameTemplate.checkRunFileName("Frühling 2026-{part:02}.csv"));
    }
}
