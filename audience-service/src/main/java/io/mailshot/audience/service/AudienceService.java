package io.mailshot.audience.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.audience.config.AudienceConfig;
import io.mailshot.audience.persistence.AttributePath;
import io.mailshot.audience.persistence.AudienceRecord;
import io.mailshot.audience.persistence.AudienceRepository;
import io.mailshot.audience.persistence.CompiledFilter;
import io.mailshot.audience.persistence.Condition;
import io.mailshot.audience.persistence.ProfileRepository;
import io.mailshot.audience.rest.AudienceView;
import io.mailshot.audience.rest.CreateAudienceRequest;
import io.mailshot.audience.rest.FilterCondition;
import io.mailshot.kit.rest.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Creates and reads audiences, and turns their filters into SQL. */
@ApplicationScoped
public class AudienceService {

    private static final TypeReference<List<FilterCondition>> FILTER = new TypeReference<>() {
    };

    private final AudienceRepository audiences;
    private final ProfileRepository profiles;
    private final ObjectMapper json;
    private final AudienceConfig config;

    public AudienceService(AudienceRepository audiences, ProfileRepository profiles, ObjectMapper json,
            AudienceConfig config) {
        this.audiences = audiences;
        this.profiles = profiles;
        this.json = json;
        this.config = config;
    }

    public AudienceView create(CreateAudienceRequest request) {
        List<FilterCondition> filter = request.filter() == null ? List.of() : request.filter();
        if (filter.size() > config.filter().maxConditions()) {
            throw ApiException.invalid("filter", "max-conditions",
                    "filter has more than " + config.filter().maxConditions() + " conditions");
        }
        for (int i = 0; i < filter.size(); i++) {
            FilterCondition c = filter.get(i);
            if (c != null && c.values() != null && c.values().size() > config.filter().maxValues()) {
                throw ApiException.invalid("filter[" + i + "].values", "max-values",
                        "filter[" + i + "].values has more than " + config.filter().maxValues() + " values");
            }
        }
        conditions(filter);
        AudienceRecord record = new AudienceRecord(UUID.randomUUID(), request.name().strip(), write(filter),
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        try {
            if (!audiences.insert(record)) {
                throw ApiException.conflict("name", "unique", "an audience with this name already exists");
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
        return new AudienceView(record.id(), record.name(), filter, record.createdAt());
    }

    public AudienceView get(UUID id) {
        return view(find(id));
    }

    public List<AudienceView> list() {
        try {
            return audiences.list().stream().map(this::view).toList();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** How many non-test profiles the audience matches now. */
    public long estimate(UUID id) {
        CompiledFilter filter = compile(find(id));
        try {
            return profiles.count(filter);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The stored audience's filter as SQL. */
    public CompiledFilter compile(AudienceRecord audience) {
        return CompiledFilter.of(conditions(read(audience.filterJson())));
    }

    private AudienceRecord find(UUID id) {
        try {
            return audiences.find(id).orElseThrow(() -> ApiException.notFound("audience", id));
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Checks what bean validation cannot (which operand each op needs) and normalises values to text. */
    static List<Condition> conditions(List<FilterCondition> filter) {
        List<Condition> result = new ArrayList<>();
        for (int i = 0; i < filter.size(); i++) {
            FilterCondition c = filter.get(i);
            String at = "filter[" + i + "]";
            if (c == null || c.op() == null) {
                throw ApiException.invalid(at + ".op", "required", at + ".op is required");
            }
            if (!AttributePath.isValid(c.path())) {
                throw ApiException.invalid(at + ".path", "pattern",
                        at + ".path must be a dotted attribute path of letters, digits and underscores");
            }
            List<String> values = switch (c.op()) {
                case EQ, NEQ -> {
                    if (c.values() != null) {
                        throw ApiException.invalid(at + ".values", "not-allowed",
                                at + ".values is not allowed with op " + c.op() + "; use value");
                    }
                    yield List.of(scalar(c.value(), at + ".value"));
                }
                case IN -> {
                    if (c.value() != null && !c.value().isNull()) {
                        throw ApiException.invalid(at + ".value", "not-allowed",
                                at + ".value is not allowed with op in; use values");
                    }
                    if (c.values() == null || c.values().isEmpty()) {
                        throw ApiException.invalid(at + ".values", "required",
                                at + ".values must list at least one value");
                    }
                    List<String> texts = new ArrayList<>();
                    for (int j = 0; j < c.values().size(); j++) {
                        texts.add(scalar(c.values().get(j), at + ".values[" + j + "]"));
                    }
                    yield texts;
                }
                case EXISTS, MISSING -> {
                    if ((c.value() != null && !c.value().isNull()) || c.values() != null) {
                        throw ApiException.invalid(at + ".value", "not-allowed",
                                "op " + c.op() + " takes no value");
                    }
                    yield List.of();
                }
            };
            result.add(new Condition(c.path(), c.op(), values));
        }
        return result;
    }

    private static String scalar(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            throw ApiException.invalid(field, "required", field + " is required");
        }
        if (!node.isValueNode()) {
            throw ApiException.invalid(field, "scalar", field + " must be a string, number or boolean");
        }
        return node.asText();
    }

    private AudienceView view(AudienceRecord r) {
        return new AudienceView(r.id(), r.name(), read(r.filterJson()), r.createdAt());
    }

    private String write(List<FilterCondition> filter) {
        try {
            return json.writeValueAsString(filter);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a filter", e);
        }
    }

    private List<FilterCondition> read(String filterJson) {
        try {
            return json.readValue(filterJson, FILTER);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored filter is not readable", e);
        }
    }

    static ApiException unavailable(SQLException e) {
        return ApiException.unavailable("the audience store is unavailable: " + e.getSQLState());
    }
}
