package io.mailshot.audience.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailshot.audience.service.filter.FilterLimits;
import io.mailshot.audience.service.filter.FilterNode;
import io.mailshot.audience.service.filter.FilterParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class FilterCompilerTest {

    private static CompiledFilter compile(String text) {
        return FilterCompiler.compile(FilterParser.parse(text, FilterLimits.defaults()));
    }

    @Test
    void valuesAndPathsTravelOnlyAsParameters() {
        String evil = "x' or '1'='1'); drop table profile; --";
        CompiledFilter f = compile("homeAddress.city = \"" + evil.replace("'", "\\'") + "\" or a.b contains \""
                + evil.replace("'", "\\'") + "\" or c startsWith \"" + evil.replace("'", "\\'") + "\"");
        assertFalse(f.sql().contains("drop"), f.sql());
        assertFalse(f.sql().contains("homeAddress"), f.sql());
        assertTrue(f.params().contains(evil));
        assertTrue(f.params().stream()
                .anyMatch(p ->
                        p instanceof String[] a && a.length == 2 && a[0].equals("homeAddress") && a[1].equals("city")));
        // Placeholders and parameters line up one to one.
        assertEquals(f.sql().chars().filter(ch -> ch == '?').count(), f.params().size());
    }

    @Test
    void theSqlTextIsTheSameForAnyValue() {
        String a = compile("x = \"a\" and y in (\"1\", \"2\") and z < now - 18y and w >= 10")
                .sql();
        String b = compile("x = \"zz'; --\" and y in (\"3\", \"4\") and z < now - 2d and w >= -3.5")
                .sql();
        assertEquals(a, b);
    }

    @Test
    void shapes() {
        CompiledFilter rel = compile("attributes.birthDate < now - 18y");
        assertTrue(rel.sql().contains("mailshot_try_timestamptz"));
        assertEquals(List.of("-18 years"), rel.params().subList(1, 2));
        CompiledFilter in = compile("a in (\"x\", 2)");
        assertArrayEquals(new String[] {"x", "2"}, (String[]) in.params().get(1));
        assertArrayEquals(new String[] {"2"}, (String[]) in.params().get(4));
        assertEquals(
                "true", FilterCompiler.compile(new FilterNode.And(List.of())).sql());
        assertEquals("[\"a\\\"b\\\\c\"]", FilterCompiler.jsonArrayOf(new FilterNode.Text("a\"b\\c")));
    }
}
