package io.mailshot.campaign.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.campaign.persistence.CampaignEntity;
import io.mailshot.campaign.rest.ApiModels.ColumnRequest;
import io.mailshot.campaign.rest.ApiModels.Dedup;
import io.mailshot.campaign.rest.ApiModels.FileDefinition;
import io.mailshot.campaign.rest.ApiModels.FormatRequest;
import io.mailshot.events.FileColumn;
import io.mailshot.events.FileFormat;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Stores campaign definitions as JSON and maps them to the event contract's shapes. */
@ApplicationScoped
public class Definitions {

    /** What a campaign stores besides its scalar columns. */
    public record Stored(FileDefinition file, Integer holdoutPercent, Dedup dedup, List<UUID> suppressionListIds,
            Map<String, String> constants) {
    }

    private final ObjectMapper json;

    public Definitions(ObjectMapper json) {
        this.json = json;
    }

    public String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public <T> T read(String text, Class<T> type) {
        if (text == null) {
            return null;
        }
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " is unreadable", e);
        }
    }

    /**
     * A campaign's stored definition; campaigns created before definitions were stored have plain columns only.
     */
    public Stored stored(CampaignEntity campaign) {
        Stored stored = read(campaign.definition, Stored.class);
        if (stored != null) {
            return stored;
        }
        List<ColumnRequest> columns = new ArrayList<>();
        for (FileColumn c : read(campaign.columns, FileColumn[].class)) {
            columns.add(new ColumnRequest(c.label(), c.path(), c.expression(), null, null, null, null));
        }
        return new Stored(new FileDefinition(campaign.fileNameTemplate, columns, null, null, null, null, null, null,
                null, null), null, null, null, null);
    }

    static FileColumn column(ColumnRequest c) {
        return new FileColumn(c.label(), blankToNull(c.path()), blankToNull(c.expression()), c.width(),
                c.align() == null ? null : c.align().name(), c.pad(),
                c.overflow() == null ? null : c.overflow().name());
    }

    /** The configuration's defaults, overridden field by field by the campaign's, plus the notes. */
    static FileFormat format(FormatRequest defaults, FormatRequest overrides, List<String> headerNotes,
            List<String> footerNotes) {
        FormatRequest d = defaults == null ? empty() : defaults;
        FormatRequest o = overrides == null ? empty() : overrides;
        return new FileFormat(name(pick(o.type(), d.type())), pick(o.delimiter(), d.delimiter()),
                pick(o.quote(), d.quote()), name(pick(o.quoteMode(), d.quoteMode())), pick(o.header(), d.header()),
                name(pick(o.encoding(), d.encoding())), name(pick(o.unencodable(), d.unencodable())),
                name(pick(o.lineEnding(), d.lineEnding())), pick(o.neutraliseFormulas(), d.neutraliseFormulas()),
                name(pick(o.compression(), d.compression())), pick(o.dateFormat(), d.dateFormat()),
                pick(o.numberFormat(), d.numberFormat()), headerNotes, footerNotes,
                name(pick(o.emptyAudience(), d.emptyAudience())), pick(o.manifestCsv(), d.manifestCsv()));
    }

    private static FormatRequest empty() {
        return new FormatRequest(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null);
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
