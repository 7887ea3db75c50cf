package io.mailshot.extraction;

import io.mailshot.fuzz.HousePlan;
import org.junit.jupiter.api.Test;

/** This service's classes keep the house plan of docs/ARCHITECTURE.md (role packages, a domain without HTTP). */
class HousePlanTest {

    @Test
    void keepsTheHousePlan() {
        HousePlan.check("io.mailshot.extraction");
    }
}
