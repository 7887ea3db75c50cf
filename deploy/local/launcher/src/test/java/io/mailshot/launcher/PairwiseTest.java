package io.mailshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The format matrix covers every pair of values, and the generator does for any factors. */
class PairwiseTest {

    @Test
    void theFormatMatrixCoversEveryPairOfValues() {
        List<FormatMatrix.Case> cases = FormatMatrix.cases();
        List<List<?>> factors = FormatMatrix.FACTORS;
        // Checked on the cases' values themselves, not on the generator's indices.
        Set<List<Object>> seen = new HashSet<>();
        for (FormatMatrix.Case c : cases) {
            List<Object> values = FormatMatrix.values(c);
            for (int f = 0; f < values.size(); f++) {
                for (int g = f + 1; g < values.size(); g++) {
                    seen.add(List.of(f, values.get(f), g, values.get(g)));
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (int f = 0; f < factors.size(); f++) {
            for (int g = f + 1; g < factors.size(); g++) {
                for (Object a : factors.get(f)) {
                    for (Object b : factors.get(g)) {
                        if (!seen.contains(List.of(f, a, g, b))) {
                            missing.add(a + " with " + b);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), missing);
        // 5 formats x 4 encodings is the least any covering array can have; the full product is 480.
        assertTrue(cases.size() >= 20 && cases.size() <= 24, cases.size() + " cases");
        assertEquals(
                cases.size(),
                new HashSet<>(cases.stream().map(FormatMatrix::values).toList()).size(),
                "no case twice");
    }

    @Test
    void anyFactorsAreCoveredPairwise() {
        SplittableRandom random = new SplittableRandom(17);
        for (int trial = 0; trial < 200; trial++) {
            int[] sizes = new int[1 + random.nextInt(8)];
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = 1 + random.nextInt(6);
            }
            List<int[]> rows = Pairwise.cover(sizes);
            assertEquals(List.of(), Pairwise.uncovered(rows, sizes), Arrays.toString(sizes));
            for (int[] row : rows) {
                for (int i = 0; i < sizes.length; i++) {
                    assertTrue(row[i] >= 0 && row[i] < sizes[i], Arrays.toString(row));
                }
            }
            long product = 1;
            for (int size : sizes) {
                product *= size;
            }
            assertTrue(rows.size() <= product, "never more rows than the full product");
        }
    }

    @Test
    void aMissingPairIsReported() {
        List<int[]> rows = List.of(new int[] {0, 0}, new int[] {1, 1});
        assertEquals(List.of("factor 0=0, factor 1=1", "factor 0=1, factor 1=0"), Pairwise.uncovered(rows, 2, 2));
    }
}
