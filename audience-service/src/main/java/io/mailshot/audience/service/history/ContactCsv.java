package io.mailshot.audience.service.history;

import io.mailshot.audience.persistence.ContactHistoryRepository.CampaignContact;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * A campaign's contact history as UTF-8 CSV (RFC 4180, LF line ends, header first): {@code namespace, id,
 * household_key, run_id, file, part, cell, holdout, contacted_at}. A field is quoted only when it holds a comma, a
 * quote or a line break; an absent value is an empty field. Like the extraction's CSV files, a text value starting
 * with {@code = + - @}, tab or CR gets a leading {@code '}, so that a spreadsheet opening the export never runs it as
 * a formula (CSV injection). Written through a buffer: memory does not depend on the history's size.
 */
final class ContactCsv {

    static final String HEADER = "namespace,id,household_key,run_id,file,part,cell,holdout,contacted_at";

    private final Writer out;

    ContactCsv(OutputStream out) {
        this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
    }

    void header() throws IOException {
        out.write(HEADER);
        out.write('\n');
    }

    void row(CampaignContact c) throws IOException {
        text(c.namespace());
        out.write(',');
        text(c.identity());
        out.write(',');
        text(c.householdKey());
        out.write(',');
        out.write(c.runId().toString());
        out.write(',');
        text(c.file());
        out.write(',');
        if (c.part() != null) {
            out.write(c.part().toString());
        }
        out.write(',');
        text(c.cell());
        out.write(',');
        out.write(c.holdout() ? "true" : "false");
        out.write(',');
        out.write(c.contactedAt().toString());
        out.write('\n');
    }

    void flush() throws IOException {
        out.flush();
    }

    /** A text field: neutralised when it could start a formula, quoted when it must be. */
    private void text(String value) throws IOException {
        if (value == null || value.isEmpty()) {
            return;
        }
        String v = isFormulaStart(value.charAt(0)) ? "'" + value : value;
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
            out.write(v);
            return;
        }
        out.write('"');
        out.write(v.replace("\"", "\"\""));
        out.write('"');
    }

    /** The same characters the extraction's CsvWriter neutralises. */
    static boolean isFormulaStart(char c) {
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    }
}
