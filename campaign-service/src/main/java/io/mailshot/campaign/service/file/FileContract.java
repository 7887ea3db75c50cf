package io.mailshot.campaign.service.file;

import io.mailshot.events.FileColumn;
import io.mailshot.events.FileFormat;
import java.util.List;

/** Maps a campaign's file definition to the event contract's shapes, which the extraction-service reads. */
public final class FileContract {

    private FileContract() {}

    public static FileColumn column(FileModel.Column c) {
        return new FileColumn(
                c.label(),
                blankToNull(c.path()),
                blankToNull(c.expression()),
                c.width(),
                c.align() == null ? null : c.align().name(),
                c.pad(),
                c.overflow() == null ? null : c.overflow().name());
    }

    /** The configuration's defaults, overridden field by field by the campaign's, plus the notes. */
    public static FileFormat format(
            FileModel.Format defaults, FileModel.Format overrides, List<String> headerNotes, List<String> footerNotes) {
        FileModel.Format d = defaults == null ? empty() : defaults;
        FileModel.Format o = overrides == null ? empty() : overrides;
        return new FileFormat(
                name(pick(o.type(), d.type())),
                pick(o.delimiter(), d.delimiter()),
                pick(o.quote(), d.quote()),
                name(pick(o.quoteMode(), d.quoteMode())),
                pick(o.header(), d.header()),
                name(pick(o.encoding(), d.encoding())),
                name(pick(o.unencodable(), d.unencodable())),
                name(pick(o.lineEnding(), d.lineEnding())),
                pick(o.neutraliseFormulas(), d.neutraliseFormulas()),
                name(pick(o.compression(), d.compression())),
                pick(o.dateFormat(), d.dateFormat()),
                pick(o.numberFormat(), d.numberFormat()),
                headerNotes,
                footerNotes,
                name(pick(o.emptyAudience(), d.emptyAudience())),
                pick(o.manifestCsv(), d.manifestCsv()));
    }

    private static FileModel.Format empty() {
        return new FileModel.Format(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    private static <T> T pick(T override, T fallback) {
        return override != null ? override : fallback;
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
