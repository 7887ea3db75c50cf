package io.mailshot.events.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Paths built from a routing's base folder and a file name never escape the base folder. */
class PathRulesTest {

    @Test
    void baseFolders() {
        assertNull(PathRules.normaliseBaseFolder(""));
        assertEquals("outbound/mailshot", PathRules.normaliseBaseFolder("outbound/mailshot/"));
        for (String bad : new String[] {"../etc", "a/../b", "/abs", "a\\b", "a//b", "a/./b", "a\u0000b", ".hidden"}) {
            assertThrows(IllegalArgumentException.class, () -> PathRules.normaliseBaseFolder(bad), bad);
        }
    }

    @Test
    void fileNames() {
        assertTrue(PathRules.isFileName("audience_2024-01.csv"));
        for (String bad : new String[] {"..", ".", "a/b.csv", "a\\b", "../x.csv", ".x.part", "", "x\n.csv"}) {
            assertFalse(PathRules.isFileName(bad), bad);
        }
    }

    @Test
    void oneFolderRuleForBaseAndRunFolders() {
        for (String good : new String[] {
            "exports", "exports/2026-11", "Spring Mailing/part one", "a/b/c/d", "été/€", "_in/box@x+y=z,1"
        }) {
            assertEquals(good, PathRules.checkFolder(good));
        }
        for (String bad : new String[] {
            "",
            "/etc",
            "exports/",
            "a//b",
            "..",
            "a/../../b",
            "./a",
            "a/.",
            "a\\b",
            "C:",
            "a/b\u0000",
            "line\nbreak",
            "what?",
            "a|b",
            "<x>",
            ".hidden",
            "a/" + "x".repeat(256),
            "a/".repeat(300)
        }) {
            assertThrows(NameRuleException.class, () -> PathRules.checkFolder(bad), bad);
        }
    }
}
