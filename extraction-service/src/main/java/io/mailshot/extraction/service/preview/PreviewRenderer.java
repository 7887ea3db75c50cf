package io.mailshot.extraction.service.preview;

import io.mailshot.events.RunSpec;
import io.mailshot.extraction.config.ExtractionConfig;
import io.mailshot.extraction.service.file.FileAssembler;
import io.mailshot.extraction.service.file.Layout;
import io.mailshot.extraction.service.file.PartNameException;
import io.mailshot.extraction.service.file.PlanException;
import io.mailshot.extraction.service.file.Row;
import io.mailshot.extraction.service.file.RowFailure;
import io.mailshot.extraction.service.file.RunPlan;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Renders sample profiles with the same plan and assembler as real runs, in memory, and returns the first
 * part's first lines. Samples are bounded by the request size, so in-memory sorting is fine here.
 */
@ApplicationScoped
public class PreviewRenderer {

    /**
     * Most cells (profiles × columns) one preview renders. A cell costs at most
     * {@link io.mailshot.extraction.service.expression.Expressions#MAX_COST} units of work (about a character
     * each), so the worst preview is a few seconds of one core, not hours.
     */
    public static final int MAX_CELLS = 20_000;
    /** Most columns one preview compiles (a campaign has at most 100). */
    public static final int MAX_COLUMNS = 1_000;

    /** Placeholder for {@code run.id}: a preview belongs to no run. */
    public static final String PREVIEW_RUN_ID = "preview";

    private final ExtractionConfig config;

    public PreviewRenderer(ExtractionConfig config) {
        this.config = config;
    }

    /** A sample profile's values, aligned with the fields. */
    public record Sample(String profileId, List<String> values) {}

    /** The rendered preview. */
    public record Preview(String fileName, List<String> lines, List<String> errors) {}

    public Preview render(RunSpec spec, String campaignName, List<String> fields, List<Sample> samples, int limit) {
        RunPlan plan;
        try {
            plan = RunPlan.of(
                    spec,
                    fields,
                    campaignName == null ? "" : campaignName,
                    "",
                    PREVIEW_RUN_ID,
                    LocalDate.now(ZoneOffset.UTC),
                    config.neutraliseFormulas());
        } catch (PlanException e) {
            return new Preview(null, List.of(), List.of(e.getMessage()));
        }
        List<String> errors = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        long seq = 0;
        for (Sample sample : samples) {
            seq++;
            try {
                String[] cells = plan.render(seq, sample.values());
                if (cells == null) {
                    errors.add("rejected: " + plan.rejection());
                } else {
                    rows.add(plan.row(seq, cells));
                }
            } catch (RowFailure e) {
                errors.add("the run would fail: " + e.getMessage());
            }
        }
        if (plan.order() != null) {
            rows.sort(plan.order());
        }
        List<Row> first = rows.subList(0, Math.min(limit, rows.size()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<FileAssembler.Part> parts;
        try {
            // Only the first part is shown; later parts (when the sample is split) are written nowhere.
            parts = FileAssembler.write(
                    plan,
                    first.iterator(),
                    (number, name) -> number == 1 ? bytes : OutputStream.nullOutputStream(),
                    false);
        } catch (PartNameException e) {
            errors.add("the run would fail: " + e.getMessage());
            return new Preview(null, List.of(), errors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (parts.isEmpty()) {
            return new Preview(null, List.of(), errors);
        }
        Layout layout = plan.layout();
        String text = bytes.toString(layout.encoding().charset);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<String> lines = new ArrayList<>(Arrays.asList(text.split(Pattern.quote(layout.lineEnding()), -1)));
        lines.remove(lines.size() - 1); // after the final line ending
        // The first file: of the first file set when the run is split by a field.
        return new Preview(plan.partName(1, parts.get(0).splitValue()), lines, errors);
    }
}
