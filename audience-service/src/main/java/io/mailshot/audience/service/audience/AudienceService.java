package io.mailshot.audience.service.audience;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.audience.config.AudienceConfig;
import io.mailshot.audience.persistence.AudienceRecord;
import io.mailshot.audience.persistence.AudienceRepository;
import io.mailshot.audience.persistence.CompiledFilter;
import io.mailshot.audience.persistence.FilterCompiler;
import io.mailshot.audience.persistence.ProfileRepository;
import io.mailshot.audience.service.filter.FilterException;
import io.mailshot.audience.service.filter.FilterJson;
import io.mailshot.audience.service.filter.FilterLimits;
import io.mailshot.audience.service.filter.FilterNode;
import io.mailshot.audience.service.resolution.PressureRules;
import io.mailshot.events.Actor;
import io.mailshot.events.PressureCheck;
import io.mailshot.events.PressureRule;
import io.mailshot.kit.audit.AuditTrail;
import io.mailshot.kit.domain.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Creates and reads audiences, and turns their filters into SQL. */
@ApplicationScoped
public class AudienceService {

    private final AudienceRepository audiences;
    private final ProfileRepository profiles;
    private final ObjectMapper json;
    private final FilterLimits limits;
    private final AuditTrail audit;

    public AudienceService(
            AudienceRepository audiences,
            ProfileRepository profiles,
            ObjectMapper json,
            AudienceConfig config,
            AuditTrail audit) {
        this.audit = audit;
        this.audiences = audiences;
        this.profiles = profiles;
        this.json = json;
        this.limits = new FilterLimits(
                config.filter().maxLength(),
                config.filter().maxDepth(),
                config.filter().maxConditions(),
                config.filter().maxValues());
    }

    /** Creates the audience and its audit entry in one transaction; a null filter targets every profile. */
    @Transactional
    public Audience create(String name, JsonNode filter, Actor actor) {
        JsonNode submitted = filter == null || filter.isNull() ? json.createArrayNode() : filter;
        FilterNode tree = parse(submitted);
        AudienceRecord record = new AudienceRecord(
                UUID.randomUUID(), name.strip(), write(submitted), Instant.now().truncatedTo(ChronoUnit.MICROS));
        try {
            if (!audiences.insert(record)) {
                throw DomainException.conflict("name", "unique", "an audience with this name already exists");
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
        // The name, never the filter: a filter's values can name a person (an email, a postal code).
        audit.record(
                actor,
                "audience.create",
                AuditTrail.ref("audience", record.id()),
                AuditTrail.details("name", record.name()));
        return view(record, submitted, tree);
    }

    public Audience get(UUID id) {
        return view(find(id));
    }

    public List<Audience> list() {
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

    /**
     * How many of the audience's profiles the pressure rules would stop now, counted as a run counts them but with no
     * suppression list: {@code eligible} are the non-test profiles matched that are consented, have a usable address
     * and whose address is not returned mail; {@code stopped} of those, at least one rule stops; per rule, that rule
     * alone. The rules are checked as a run's are: a bad field is refused naming it ({@code rules[i].field}).
     */
    public PressureCheck.Result pressureCheck(UUID id, PressureCheck check) {
        if (check.rules() == null) {
            throw DomainException.invalid("rules", "required", "rules is required (an empty array for none)");
        }
        PressureRules.violation("rules", check.rules(), check.campaignId()).ifPresent(v -> {
            throw DomainException.invalid(List.of(v));
        });
        CompiledFilter filter = compile(find(id));
        try {
            ProfileRepository.PressureCounts counts = profiles.pressureCheck(filter, check.rules(), check.campaignId());
            List<PressureCheck.RuleCount> perRule = new ArrayList<>();
            for (int i = 0; i < check.rules().size(); i++) {
                PressureRule rule = check.rules().get(i);
                perRule.add(new PressureCheck.RuleCount(rule.id(), rule.name(), counts.perRule()[i]));
            }
            return new PressureCheck.Result(counts.eligible(), counts.stopped(), List.copyOf(perRule));
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The stored audience's filter as SQL; relative dates are evaluated by the database when it runs. */
    public CompiledFilter compile(AudienceRecord audience) {
        return FilterCompiler.compile(parseStored(read(audience.filterJson())));
    }

    /** Parses a submitted filter, turning filter errors into problem+json refusals. */
    FilterNode parse(JsonNode filter) {
        try {
            return FilterJson.read(filter, limits);
        } catch (FilterException e) {
            boolean malformed = e.kind() == FilterException.Kind.MALFORMED;
            throw new DomainException(
                    malformed ? DomainException.Kind.UNREADABLE : DomainException.Kind.RULE_BROKEN,
                    malformed ? "malformed-filter" : "validation-failed",
                    malformed ? "Malformed filter" : "Invalid request",
                    e.getMessage(),
                    List.of(new DomainException.Violation(e.field(), e.rule(), e.getMessage())));
        }
    }

    /** A stored filter was accepted once; the bounds only apply to new filters, so a lowered limit keeps it usable. */
    private static FilterNode parseStored(JsonNode filter) {
        return FilterJson.read(filter, new FilterLimits(Integer.MAX_VALUE, 1000, Integer.MAX_VALUE, Integer.MAX_VALUE));
    }

    private AudienceRecord find(UUID id) {
        try {
            return audiences.find(id).orElseThrow(() -> DomainException.notFound("audience", id));
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private Audience view(AudienceRecord r) {
        JsonNode submitted = read(r.filterJson());
        return view(r, submitted, parseStored(submitted));
    }

    private static Audience view(AudienceRecord r, JsonNode submitted, FilterNode tree) {
        return new Audience(r.id(), r.name(), submitted, FilterJson.text(tree), FilterJson.write(tree), r.createdAt());
    }

    private String write(JsonNode filter) {
        try {
            return json.writeValueAsString(filter);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a filter", e);
        }
    }

    private JsonNode read(String filterJson) {
        try {
            return json.readTree(filterJson);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored filter is not readable", e);
        }
    }

    static DomainException unavailable(SQLException e) {
        return DomainException.unavailable("the audience store is unavailable: " + e.getSQLState());
    }
}
