package io.mailshot.campaign.service.file;

import io.mailshot.events.FileFormatRules;
import io.mailshot.kit.domain.DomainException;
import java.util.List;

/**
 * Applies the file-format rule ({@link FileFormatRules}, the one the extraction-service applies again when a run
 * starts) when a configuration or a campaign is saved, so a format that cannot produce a readable file (a
 * delimiter the encoding cannot write, a quote that is the delimiter, a note with a character the encoding
 * lacks…) is refused with a 422 naming the request's field, not discovered when a run fails.
 */
public final class FormatChecks {

    private FormatChecks() {}

    /** A configuration's format defaults on their own; fields as the configuration request names them. */
    public static List<DomainException.Violation> configuration(FileModel.Format format) {
        return FileFormatRules.check(FileContract.format(format, null, null, null), null).stream()
                .map(v -> new DomainException.Violation(v.field(), v.rule(), v.message()))
                .toList();
    }

    /**
     * A campaign's file as its runs would write it: the configuration's defaults overridden by the campaign's
     * format, with its notes and columns. Fields as the campaign request names them: {@code file.format.*} for a
     * setting the campaign overrides (or for the one it collides with, when only that is overridden),
     * {@code file.headerNotes[i]}, {@code file.columns[i].pad}…, or {@code configurationId} when the clash comes
     * from the configuration alone.
     */
    public static List<DomainException.Violation> campaign(FileModel.Format defaults, FileModel.Definition file) {
        FileModel.Format own = file.format();
        return FileFormatRules.check(
                        FileContract.format(defaults, own, file.headerNotes(), file.footerNotes()),
                        file.columns().stream().map(FileContract::column).toList())
                .stream()
                .map(v -> {
                    String field = v.field();
                    if (!field.startsWith("format.")
                            || field.startsWith("format.headerNotes")
                            || field.startsWith("format.footerNotes")) {
                        // Columns and notes belong to the campaign's file.
                        return new DomainException.Violation(
                                "file." + field.replaceFirst("^format\\.", ""), v.rule(), v.message());
                    }
                    String setting = field.substring("format.".length());
                    if (overrides(own, setting)) {
                        return new DomainException.Violation("file.format." + setting, v.rule(), v.message());
                    }
                    if (v.against() != null && overrides(own, v.against())) {
                        return new DomainException.Violation("file.format." + v.against(), v.rule(), v.message());
                    }
                    return new DomainException.Violation(
                            "configurationId", v.rule(), "the configuration's format: " + v.message());
                })
                .toList();
    }

    /**
     * The same check for a configuration whose defaults change under a campaign that uses them: named as the
     * configuration request names its fields, the campaign in the message.
     */
    public static List<DomainException.Violation> underCampaign(
            FileModel.Format defaults, FileModel.Definition file, String campaign) {
        return FileFormatRules.check(
                        FileContract.format(defaults, file.format(), file.headerNotes(), file.footerNotes()),
                        file.columns().stream().map(FileContract::column).toList())
                .stream()
                .map(v -> {
                    boolean setting = v.field().startsWith("format.")
                            && !v.field().startsWith("format.headerNotes")
                            && !v.field().startsWith("format.footerNotes");
                    String field = setting ? v.field() : v.against() != null ? "format." + v.against() : "format";
                    return new DomainException.Violation(
                            field,
                            v.rule(),
                            "campaign " + campaign + " would break: " + v.field() + ": " + v.message());
                })
                .toList();
    }

    /** A 422 listing every broken rule; {@code field} and {@code rule} name the first. */
    public static DomainException refusal(List<DomainException.Violation> errors) {
        return DomainException.invalid(errors);
    }

    /** Whether the campaign's format sets {@code setting} itself (else the configuration's default applies). */
    private static boolean overrides(FileModel.Format own, String setting) {
        if (own == null) {
            return false;
        }
        Object value = switch (setting) {
            case "type" -> own.type();
            case "delimiter" -> own.delimiter();
            case "quote" -> own.quote();
            case "quoteMode" -> own.quoteMode();
            case "header" -> own.header();
            case "encoding" -> own.encoding();
            case "unencodable" -> own.unencodable();
            case "lineEnding" -> own.lineEnding();
            case "neutraliseFormulas" -> own.neutraliseFormulas();
            default -> null;
        };
        return value != null;
    }
}
