package io.mailshot.extraction.service.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailshot.events.FileColumn;
import io.mailshot.events.RunSpec;
import io.mailshot.events.SortKey;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A plan's sort order, prefix and all, against the rule written out plainly: each key's text in UTF-16 code
 * units (null as empty) ascending or descending, then stream position. The spill's chunk sort must agree.
 */
class RowOrderTest {

    private static final List<String> FIELDS = List.of("a", "b");
    /** Pieces that straddle the prefix's 7 bytes in every way: 1-, 2- and 3-byte units, NUL, surrogates. */
    private static final String[] PIECES = {
        "",
        "0",
        "1",
        "9",
        "A",
        "a",
        "\u0000",
        "\u007F",
        "\u0080",
        "é",
        "ß",
        "\u07FF",
        "\u0800",
        "漢",
        "\uD7FF",
        "\uD83D\uDE00",
        "\uD83D",
        "\uDE00",
        "\uE000",
        "\uFFFF",
        "00012",
        "Saint-Étienne",
        "Saint-Étienne-du-Rouvray"
    };

    @Test
    void the_prefix_orders_rows_exactly_as_the_texts_do_for_one_ascending_key() throws Exception {
        check(List.of(new SortKey("A", null)), 1);
    }

    @Test
    void a_descending_first_key_and_a_second_key_keep_the_full_order() throws Exception {
        check(List.of(new SortKey("A", "DESC"), new SortKey("B", "ASC")), 2);
    }

    @Test
    void prefixes_of_texts_that_fit_are_equal_only_for_equal_texts() {
        assertEquals(RunPlan.prefix(null), RunPlan.prefix(""));
        assertEquals(RunPlan.prefix("00012"), RunPlan.prefix(new String("00012")));
        assertEquals(-1, Long.compareUnsigned(RunPlan.prefix("00012"), RunPlan.prefix("00012\u0000")));
        assertEquals(
                -1,
                Long.compareUnsigned(RunPlan.prefix("\uD83D\uDE00"), RunPlan.prefix("\uE000")),
                "code-unit order: a surrogate sorts before U+E000");
    }

    private static void check(List<SortKey> keys, int seed) throws Exception {
        RunSpec spec = new RunSpec(
                "s.csv",
                List.of(new FileColumn("A", "a"), new FileColumn("B", "b")),
                UUID.randomUUID(),
                "email",
                null,
                keys,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        // Formula neutralisation off: the cells are the texts as generated.
        RunPlan plan = RunPlan.of(spec, FIELDS, "c", "c-1", "r-1", LocalDate.of(2026, 3, 1), false);
        Random random = new Random(seed);
        List<String[]> cells = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            cells.add(new String[] {text(random), random.nextInt(4) == 0 ? null : PIECES[random.nextInt(3)]});
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            rows.add(plan.row(i, plan.render(i, Arrays.asList(cells.get(i)))));
        }
        Collections.shuffle(rows, random);
        // The spill's chunk sort (radix on the prefixes, then the comparator among equal ones) must give the
        // comparator's order; a second, smaller chunk through the same sorter checks its reused buffers.
        PrefixSort chunkSort = new PrefixSort();
        PrefixSort.PrefixOrder order = (PrefixSort.PrefixOrder) plan.order();
        Row[] chunk = rows.toArray(new Row[0]);
        chunkSort.sort(chunk, chunk.length, order);
        Row[] smaller = rows.subList(0, 1_000).toArray(new Row[1_200]);
        chunkSort.sort(smaller, 1_000, order);
        List<Row> smallerExpected = new ArrayList<>(rows.subList(0, 1_000));
        smallerExpected.sort(plan.order());
        assertEquals(smallerExpected, Arrays.asList(smaller).subList(0, 1_000));
        rows.sort(plan.order());
        assertEquals(rows, Arrays.asList(chunk));

        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            expected.add(i);
        }
        Comparator<Integer> rule = (x, y) -> {
            for (int k = 0; k < keys.size(); k++) {
                int c = text(cells.get(x)[k]).compareTo(text(cells.get(y)[k]));
                if (c != 0) {
                    return "DESC".equals(keys.get(k).direction()) ? -c : c;
                }
            }
            return Integer.compare(x, y);
        };
        expected.sort(rule);
        assertEquals(expected, rows.stream().map(r -> (int) r.seq()).toList());
    }

    private static String text(Random random) {
        if (random.nextInt(20) == 0) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        int pieces = random.nextInt(6);
        for (int i = 0; i < pieces; i++) {
            b.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return b.toString();
    }

    private static String text(String cell) {
        return cell == null ? "" : cell;
    }
}
