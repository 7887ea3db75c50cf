package io.mailshot.fuzz;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/** The rules find what they are for: a small house that breaks each of them, and one that keeps them. */
class HousePlanTest {

    /** The sample houses are test classes, which the services' check leaves out. */
    private static void check(String root) {
        HousePlan.check(root, new ClassFileImporter());
    }

    @Test
    void aHouseThatKeepsThePlanPasses() {
        assertDoesNotThrow(() -> check("io.mailshot.fuzz.plan.good"));
    }

    @Test
    void aDomainThatImportsItsWebLayerFails() {
        AssertionError e = assertThrows(AssertionError.class, () -> check("io.mailshot.fuzz.plan.leaky"));
        assertTrue(e.getMessage().contains("speaks no HTTP"), e.getMessage());
    }

    @Test
    void aDomainExceptionWithAStatusFails() {
        AssertionError e = assertThrows(AssertionError.class, () -> check("io.mailshot.fuzz.plan.status"));
        assertTrue(e.getMessage().contains("carries a status"), e.getMessage());
    }

    @Test
    void aClassOutsideTheRolePackagesFails() {
        AssertionError e = assertThrows(AssertionError.class, () -> check("io.mailshot.fuzz.plan.odd"));
        assertTrue(e.getMessage().contains("role packages"), e.getMessage());
    }
}
