package io.mailshot.infra;

import java.util.HashMap;
import java.util.Map;

/**
 * Reads samples out of the Prometheus text format that {@code /q/metrics} serves, as an operator's scraper would:
 * the tests compare a counter before and after a run.
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
            int space = line.lastIndexOf(' ');
            String name = brace >= 0 ? line.substring(0, brace) : line.substring(0, line.indexOf(' '));
            if (!name.equals(series)) {
                continue;
            }
            Map<String, String> found =
                    brace >= 0 ? labels(line.substring(brace + 1, line.lastIndexOf('}'))) : Map.of();
            if (found.entrySet().containsAll(wanted.entrySet())) {
                total += Double.parseDouble(line.substring(space + 1));
            }
        }
        return total;
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
