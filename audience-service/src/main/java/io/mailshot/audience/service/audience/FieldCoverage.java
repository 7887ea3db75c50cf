package io.mailshot.audience.service.audience;

import io.mailshot.audience.persistence.AudienceRecord;
import io.mailshot.audience.persistence.AudienceRepository;
import io.mailshot.audience.persistence.CompiledFilter;
import io.mailshot.audience.persistence.FieldCoverageRepository;
import io.mailshot.kit.domain.DomainException;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Tells a campaign which attribute paths exist in the profile store and how well an audience fills them,
 * so it can refuse a column nobody has and warn about sparse ones before a run. Answers "undecided"
 * ({@code known: null}) rather than hang when the store is too large to decide within the time budget.
 */
@ApplicationScoped
public class FieldCoverage {

    /**
     * Fields of the profile shape every producer knows (the postal address, the name, the primary identity,
     * postal consent). They are known whether or not a stored profile has them yet.
     */
    public static final Set<String> FIXED_FIELDS = Set.of(
            "identity.namespace",
            "identity.id",
            "person.name.title",
            "person.name.firstName",
            "person.name.lastName",
            "homeAddress.street1",
            "homeAddress.street2",
            "homeAddress.street3",
            "homeAddress.street4",
            "homeAddress.street5",
            "homeAddress.street6",
            "homeAddress.postalCode",
            "homeAddress.city",
            "homeAddress.stateProvince",
            "homeAddress.countryCode",
            "consents.marketing.postalMail.val");

    /** Bounds of the field-coverage endpoint. */
    @ConfigMapping(prefix = "mailshot.field-coverage")
    public interface Config {

        /** Time budget of one request's database work; what is not decided by then is reported undecided. */
        @WithDefault("3s")
        Duration budget();

        /** The largest sample a caller may ask for. */
        @WithDefault("10000")
        int maxSample();
    }

    /**
     * One path's coverage.
     *
     * @param known true when a stored profile has it or it is a fixed field, false when none has it, null when
     *     undecided within the time budget
     * @param filled sampled profiles of the audience with a non-blank value; null when the sample is undecided
     * @param sampled how many profiles of the audience were sampled; null when the sample is undecided
     */
    public record PathCoverage(String path, Boolean known, Long filled, Long sampled) {}

    /** The answer: the requested sample size and one entry per distinct path, in request order. */
    public record Report(UUID audienceId, int sample, List<PathCoverage> paths) {}

    private final AudienceRepository audiences;
    private final AudienceService audienceService;
    private final FieldCoverageRepository coverage;
    private final Config config;

    public FieldCoverage(
            AudienceRepository audiences,
            AudienceService audienceService,
            FieldCoverageRepository coverage,
            Config config) {
        this.audiences = audiences;
        this.audienceService = audienceService;
        this.coverage = coverage;
        this.config = config;
    }

    public int maxSample() {
        return config.maxSample();
    }

    public Report report(UUID audienceId, List<String> requested, int sample) {
        AudienceRecord audience;
        try {
            audience = audiences.find(audienceId).orElseThrow(() -> DomainException.notFound("audience", audienceId));
        } catch (SQLException e) {
            throw AudienceService.unavailable(e);
        }
        List<String> paths = new ArrayList<>(new LinkedHashSet<>(requested));
        CompiledFilter filter = audienceService.compile(audience);
        Instant deadline = Instant.now().plus(config.budget());
        try {
            // The sample first: it is bounded by its size, so it rarely needs the whole budget.
            Optional<FieldCoverageRepository.Sample> sampled =
                    coverage.sample(filter, paths, sample, remaining(deadline));
            List<PathCoverage> result = new ArrayList<>();
            for (int i = 0; i < paths.size(); i++) {
                int index = i;
                Long filled = sampled.map(s -> s.filled().get(index)).orElse(null);
                Long size = sampled.map(FieldCoverageRepository.Sample::sampled).orElse(null);
                result.add(new PathCoverage(paths.get(i), known(paths.get(i), filled, deadline), filled, size));
            }
            return new Report(audienceId, sample, result);
        } catch (SQLException e) {
            throw AudienceService.unavailable(e);
        }
    }

    /**
     * Whether the audience matches at least one profile now: true, false, or null when undecided within the
     * time budget. What a campaign's checks need, where counting a 10-million audience would not answer in time.
     */
    public Boolean matchesAny(UUID audienceId) {
        try {
            AudienceRecord audience =
                    audiences.find(audienceId).orElseThrow(() -> DomainException.notFound("audience", audienceId));
            return coverage.matchesAny(audienceService.compile(audience), config.budget())
                    .orElse(null);
        } catch (SQLException e) {
            throw AudienceService.unavailable(e);
        }
    }

    private Boolean known(String path, Long filledInSample, Instant deadline) throws SQLException {
        if (FIXED_FIELDS.contains(path) || (filledInSample != null && filledInSample > 0)) {
            return true; // no query needed
        }
        Duration left = remaining(deadline);
        if (left.isZero()) {
            return null;
        }
        return coverage.anyProfileHas(path, left).orElse(null);
    }

    private static Duration remaining(Instant deadline) {
        Duration left = Duration.between(Instant.now(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
