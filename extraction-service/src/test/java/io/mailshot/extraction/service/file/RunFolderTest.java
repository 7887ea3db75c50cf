package io.mailshot.extraction.service.file;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A run folder from the event is checked again: it can never leave the routing's base folder. */
class RunFolderTest {

    @ParameterizedTest
    @ValueSource(strings = {"exports", "exports/2026-11", "Spring Mailing/part one", "a/b/c/d", "été/€"})
    void relativeFoldersAreAccepted(String folder) {
        assertDoesNotThrow(() -> RunPlan.checkFolder(folder));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
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
                "<x>"
            })
    void escapingOrReservedFoldersAreRefused(String folder) {
        assertThrows(PlanException.class, () -> RunPlan.checkFolder(folder));
    }
}
