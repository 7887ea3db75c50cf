package io.mailshot.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code ./mailshot watch} shows of a run, from the run's server-sent events: one progress line per event
 * (bar, figures, rate and time left of the stage under way) and the report once the run is final. Pure text: no
 * terminal, no clock; the rate and time left are the service's own estimate, shown only when it gives one.
 */
final class RunDisplay {

    static final int BAR_WIDTH = 30;

    private RunDisplay() {}

    /** The run's final statuses: the event stream ends after one of them. */
    static boolean isFinal(JsonNode run) {
        return run.path("status").asText().matches("DELIVERED|FAILED|CANCELLED");
    }

    /** The stage a line belongs to: the current stage, else the status. */
    static String stage(JsonNode run) {
        JsonNode current = run.path("progress").path("current");
        return current.isObject()
                ? current.path("stage").asText()
                : run.path("status").asText();
    }

    /** One progress line, e.g. {@code EXTRACTING [#####.....]  50.0%  5,000/10,000 rows  1,250 rows/s  0:04 left}. */
    static String line(JsonNode run) {
        JsonNode current = run.path("progress").path("current");
        if (!current.isObject()) {
            return String.format(Locale.ROOT, "%-10s", run.path("status").asText());
        }
        String unit = current.path("unit").asText();
        long done = current.path("done").asLong();
        JsonNode total = current.path("total");
        StringBuilder line = new StringBuilder(
                String.format(Locale.ROOT, "%-10s ", current.path("stage").asText()));
        if (total.isNumber() && total.asLong() > 0) {
            double fraction = Math.min(1.0, (double) done / total.asLong());
            line.append(bar(fraction))
                    .append(String.format(Locale.ROOT, " %5.1f%%  ", fraction * 100))
                    .append(amount(done, unit))
                    .append('/')
                    .append(amount(total.asLong(), unit));
        } else {
            line.append(bar(-1)).append("    ?   ").append(amount(done, unit)).append(" of ?");
        }
        boolean bytes = "bytes".equals(unit);
        if (!bytes) {
            line.append(' ').append(unit);
        }
        JsonNode rate = current.path("ratePerSecond");
        if (rate.isNumber()) {
            line.append("  ")
                    .append(amount(Math.round(rate.asDouble()), unit))
                    .append(bytes ? "/s" : " " + unit + "/s");
        }
        JsonNode eta = current.path("etaSeconds");
        line.append("  ").append(eta.isNumber() ? duration(eta.asLong()) + " left" : "time left unknown");
        String staged = staged(run);
        if (!staged.isEmpty() && "EXTRACTING".equals(current.path("stage").asText())) {
            line.append("  (").append(staged).append(')');
        }
        return line.toString();
    }

    /** {@code [#####.....]}; an unknown fraction (negative) is an empty bar of dots. */
    static String bar(double fraction) {
        int filled = fraction < 0 ? 0 : (int) Math.floor(fraction * BAR_WIDTH);
        return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "]";
    }

    /** A count with thousands separators, or bytes in KiB/MiB/GiB. */
    static String amount(long value, String unit) {
        if (!"bytes".equals(unit) || value < 1024) {
            return String.format(Locale.ROOT, "%,d", value);
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = value;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour. */
    static String duration(long seconds) {
        long s = Math.max(0, seconds);
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private static String staged(JsonNode run) {
        JsonNode parts = run.path("progress").path("partsStaged");
        if (!parts.isNumber() || parts.asLong() == 0) {
            return "";
        }
        return "staged " + parts.asLong() + " part(s), "
                + amount(run.path("progress").path("bytesStaged").asLong(), "bytes");
    }

    /** The run's report: status, counts, files, delivery and, when it failed, why. */
    static List<String> report(JsonNode run) {
        List<String> out = new ArrayList<>();
        out.add("run " + run.path("id").asText() + ": " + run.path("status").asText());
        JsonNode counts = run.path("counts");
        JsonNode excluded = counts.path("excluded");
        out.add("  counts:   targeted=" + text(counts.path("targeted")) + " streamed=" + text(counts.path("streamed"))
                + " excluded(no consent=" + text(excluded.path("noConsent")) + " no address="
                + text(excluded.path("noAddress")) + " suppressed=" + text(excluded.path("suppressed"))
                + " duplicate=" + text(excluded.path("duplicate")) + " holdout=" + text(excluded.path("holdout"))
                + ") exported=" + text(counts.path("exported")) + " seeds=" + text(counts.path("seedRows"))
                + " rejected=" + text(counts.path("rejected")) + " delivered=" + text(counts.path("delivered")));
        for (JsonNode part : run.path("files")) {
            out.add("  file:     " + part.path("name").asText() + "  rows="
                    + part.path("rows").asText() + "  bytes="
                    + part.path("bytes").asText() + "  sha256="
                    + part.path("sha256").asText());
        }
        if (run.path("files").isEmpty() && run.path("file").path("rows").isNumber()) {
            out.add("  file:     " + run.path("file").path("name").asText());
        }
        if (!run.path("manifest").isNull() && !run.path("manifest").isMissingNode()) {
            out.add("  manifest: " + run.path("manifest").asText());
        }
        JsonNode delivery = run.path("delivery");
        if (!delivery.path("destination").isNull()
                && !delivery.path("destination").isMissingNode()) {
            out.add("  delivery: " + delivery.path("destination").asText()
                    + (delivery.path("location").isTextual()
                            ? " -> " + delivery.path("location").asText()
                            : ""));
        }
        for (JsonNode attempt : delivery.path("attempts")) {
            out.add("  attempt " + attempt.path("attempt").asInt() + ": "
                    + (attempt.path("succeeded").asBoolean() ? "succeeded" : "failed")
                    + (attempt.path("error").isTextual()
                            ? " (" + attempt.path("error").asText() + ")"
                            : ""));
        }
        if (run.path("error").isTextual()) {
            out.add("  failure:  " + run.path("error").asText());
        }
        return out;
    }

    private static String text(JsonNode value) {
        return value.isNull() || value.isMissingNode() ? "-" : value.asText();
    }
}
