package io.mailshot.campaign.service.campaign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.campaign.persistence.CampaignEntity;
import io.mailshot.campaign.service.campaign.CampaignDraft.Dedup;
import io.mailshot.campaign.service.file.FileModel;
import io.mailshot.events.FileColumn;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Stores campaign definitions (and configuration formats, run snapshots) as JSON. */
@ApplicationScoped
public class Definitions {

    /** What a campaign stores besides its scalar columns. */
    public record Stored(
            FileModel.Definition file,
            Integer holdoutPercent,
            Dedup dedup,
            List<UUID> suppressionListIds,
            Map<String, String> constants) {}

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
        List<FileModel.Column> columns = new ArrayList<>();
        for (FileColumn c : read(campaign.columns, FileColumn[].class)) {
            columns.add(new FileModel.Column(c.label(), c.path(), c.expression(), null, null, null, null));
        }
        return new Stored(
                new FileModel.Definition(
                        campaign.fileNameTemplate, columns, null, null, null, null, null, null, null, null),
                null,
                null,
                null,
                null);
    }
}
