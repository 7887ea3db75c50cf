package io.mailshot.launcher;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A pairwise (all-pairs) covering array: rows of factor levels such that every pair of levels of every two
 * factors is in at least one row, with far fewer rows than the full product. Built by IPOG (Lei and Tai): the
 * two largest factors in full, then each further factor added to the rows greedily (the level that covers the
 * most pairs still missing), and rows added for the pairs left. Deterministic: same sizes, same rows.
 */
final class Pairwise {

    private static final int ANY = -1;

    private Pairwise() {}

    /**
     * Rows of level indices, {@code row[f]} in {@code [0, sizes[f])}, covering every pair.
     *
     * @param sizes how many levels each factor has (at least one each)
     */
    static List<int[]> cover(int... sizes) {
        if (sizes.length == 0 || Arrays.stream(sizes).anyMatch(s -> s < 1)) {
            throw new IllegalArgumentException("every factor needs a level: " + Arrays.toString(sizes));
        }
        int n = sizes.length;
        // Largest factors first: their product is the least number of rows any covering array has.
        int[] order = IntStream.range(0, n)
                .boxed()
                .sorted(Comparator.comparingInt((Integer f) -> -sizes[f]))
                .mapToInt(Integer::intValue)
                .toArray();
        int[] size = Arrays.stream(order).map(f -> sizes[f]).toArray();
        List<int[]> rows = new ArrayList<>();
        if (n == 1) {
            for (int v = 0; v < size[0]; v++) {
                rows.add(new int[] {v});
            }
        } else {
            for (int a = 0; a < size[0]; a++) {
                for (int b = 0; b < size[1]; b++) {
                    int[] row = new int[n];
                    Arrays.fill(row, ANY);
                    row[0] = a;
                    row[1] = b;
                    rows.add(row);
                }
            }
            for (int k = 2; k < n; k++) {
                extend(rows, size, k);
            }
        }
        // Fill what no pair needed, spreading the levels so each one shows up across rows.
        int[] next = new int[n];
        List<int[]> result = new ArrayList<>();
        for (int[] row : rows) {
            int[] original = new int[n];
            for (int i = 0; i < n; i++) {
                int v = row[i];
                if (v == ANY) {
                    v = next[i];
                    next[i] = (next[i] + 1) % size[i];
                }
                original[order[i]] = v;
            }
            result.add(original);
        }
        return result;
    }

    /** Adds factor {@code k}: first to every row (horizontal growth), then rows for the pairs left (vertical). */
    private static void extend(List<int[]> rows, int[] size, int k) {
        // missing[j][vj][vk]: the pair (factor j = vj, factor k = vk) is in no row yet.
        boolean[][][] missing = new boolean[k][][];
        for (int j = 0; j < k; j++) {
            missing[j] = new boolean[size[j]][size[k]];
            for (boolean[] levels : missing[j]) {
                Arrays.fill(levels, true);
            }
        }
        int[] used = new int[size[k]];
        for (int[] row : rows) {
            int best = 0;
            int bestGain = -1;
            for (int v = 0; v < size[k]; v++) {
                int gain = 0;
                for (int j = 0; j < k; j++) {
                    if (row[j] != ANY && missing[j][row[j]][v]) {
                        gain++;
                    }
                }
                // Ties go to the level used least so far, which keeps the levels balanced.
                if (gain > bestGain || gain == bestGain && used[v] < used[best]) {
                    best = v;
                    bestGain = gain;
                }
            }
            row[k] = best;
            used[best]++;
            for (int j = 0; j < k; j++) {
                if (row[j] != ANY) {
                    missing[j][row[j]][best] = false;
                }
            }
        }
        for (int j = 0; j < k; j++) {
            for (int vj = 0; vj < size[j]; vj++) {
                for (int vk = 0; vk < size[k]; vk++) {
                    if (!missing[j][vj][vk]) {
                        continue;
                    }
                    int[] target = null;
                    for (int[] row : rows) {
                        if (row[k] == vk && row[j] == ANY) {
                            target = row;
                            break;
                        }
                    }
                    if (target == null) {
                        target = new int[size.length];
                        Arrays.fill(target, ANY);
                        target[k] = vk;
                        rows.add(target);
                    }
                    target[j] = vj;
                    missing[j][vj][vk] = false;
                }
            }
        }
    }

    /** The pairs no row covers, as {@code "f1=v1, f2=v2"}; empty when {@code rows} is a covering array. */
    static List<String> uncovered(List<int[]> rows, int... sizes) {
        List<String> missing = new ArrayList<>();
        for (int f = 0; f < sizes.length; f++) {
            for (int g = f + 1; g < sizes.length; g++) {
                boolean[][] seen = new boolean[sizes[f]][sizes[g]];
                for (int[] row : rows) {
                    seen[row[f]][row[g]] = true;
                }
                for (int a = 0; a < sizes[f]; a++) {
                    for (int b = 0; b < sizes[g]; b++) {
                        if (!seen[a][b]) {
                            missing.add("factor " + f + "=" + a + ", factor " + g + "=" + b);
                        }
                    }
                }
            }
        }
        return missing;
    }
}
