package io.mailshot.infra;

import java.util.HashMap;
import java.util.Map;

/**
 * Reads samples out of the Prometheus text format that {@code /q/metrics} serves, as an operator's scraper would:
 * the tests compare a counter before and after a run. Also the OpenMetrics format (what {@code /q/metrics} answers a
 * client that accepts anything), whose samples may end with an exemplar, {@code # {trace_id="…",span_id="…"} 1.0}:
 * with tracing on, Micrometer links samples to the trace that recorded them.
 */
public final class PrometheusSamples {

    private PrometheusSamples() {}

    /**
     * The sum of every sample of {@code series} whose labels include {@code labels} (name, value pairs); 0 when
     * there is none yet (a counter appears only once it has been touched).
     */
    public static double sum(String text, String series, String... labels) {
        Map<String, String> wanted = new HashMap<>();
        for (int i = 0; i + 1 < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        double total = 0;
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            boolean labelled = brace >= 0 && (space < 0 || brace < space);
            String name = labelled ? line.substring(0, brace) : line.substring(0, space);
            if (!name.equals(series)) {
                continue;
            }
            int end = labelled ? labelsEnd(line, brace) : space;
            Map<String, String> found = labelled ? labels(line.substring(brace + 1, end)) : Map.of();
            if (found.entrySet().containsAll(wanted.entrySet())) {
                // The value is the first token after the labels: a timestamp or an exemplar may follow it.
                total += Double.parseDouble(line.substring(end + 1).trim().split(" ")[0]);
            }
        }
        return total;
    }

    /** Where the label set that opens at {@code brace} closes: the first {@code '}'} outside a quoted value. */
    private static int labelsEnd(String line, int brace) {
        boolean quoted = false;
        for (int i = brace + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '}') {
                return i;
            }
        }
        throw new IllegalArgumentException("unterminated labels in a sample line");
    }

    /** {@code a="x",b="y"}: label values with Prometheus escapes (\\, \", \n). */
    private static Map<String, String> labels(String body) {
        Map<String, String> labels = new HashMap<>();
        int i = 0;
        while (i < body.length()) {
            int eq = body.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = body.substring(i, eq).trim();
            StringBuilder value = new StringBuilder();
            int j = eq + 2; // past ="
            while (j < body.length() && body.charAt(j) != '"') {
                char c = body.charAt(j);
                if (c == '\\' && j + 1 < body.length()) {
                    char next = body.charAt(++j);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(c);
                }
                j++;
            }
            labels.put(name, value.toString());
            i = j + 1;
            if (i < body.length() && body.charAt(i) == ',') {
                i++;
            }
        }
        return labels;
    }
}
