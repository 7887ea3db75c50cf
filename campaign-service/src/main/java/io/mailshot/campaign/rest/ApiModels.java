package io.mailshot.campaign.rest;

import io.mailshot.campaign.service.campaign.CampaignDraft.CampaignType;
import io.mailshot.campaign.service.campaign.CampaignDraft.Dedup;
import io.mailshot.campaign.service.file.FileModel.Align;
import io.mailshot.campaign.service.file.FileModel.Compression;
import io.mailshot.campaign.service.file.FileModel.Direction;
import io.mailshot.campaign.service.file.FileModel.EmptyAudience;
import io.mailshot.campaign.service.file.FileModel.Encoding;
import io.mailshot.campaign.service.file.FileModel.FileType;
import io.mailshot.campaign.service.file.FileModel.LineEnding;
import io.mailshot.campaign.service.file.FileModel.Overflow;
import io.mailshot.campaign.service.file.FileModel.QuoteMode;
import io.mailshot.campaign.service.file.FileModel.SeedPlacement;
import io.mailshot.campaign.service.file.FileModel.Unencodable;
import io.mailshot.campaign.service.schedule.Schedule.Frequency;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The campaign-service API models: request and response bodies, with their validation rules. The service layer takes
 * and returns domain types; {@link ApiMapping} maps between the two. Enums are the domain's own.
 */
public final class ApiModels {

    /** A configuration name: a letter, then letters, digits, '_', '.', '-'. */
    public static final String NAME = "^[A-Za-z][A-Za-z0-9_.-]*$";
    /** A profile attribute path such as homeAddress.postalCode. */
    public static final String PATH = "^[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*){0,15}$";
    /** An identity namespace such as crmId. */
    public static final String NAMESPACE = "^[A-Za-z][A-Za-z0-9_.-]{0,63}$";
    /** A constant's name, read by expressions as const.&lt;name&gt;. */
    public static final String CONSTANT = "^[A-Za-z][A-Za-z0-9_]{0,63}$";
    /** A time of day, HH:mm. */
    public static final String TIME = "^([01][0-9]|2[0-3]):[0-5][0-9]$";

    private ApiModels() {}

    /** File format defaults (configuration) or overrides (campaign). Null means inherited or default. */
    public record FormatRequest(
            FileType type,

            @Size(min = 1, max = 1, message = "must be a single character")
            String delimiter,

            @Size(max = 1, message = "must be a single character, or empty for no quoting")
            String quote,

            QuoteMode quoteMode,
            Boolean header,
            Encoding encoding,
            Unencodable unencodable,
            LineEnding lineEnding,
            Boolean neutraliseFormulas,
            Compression compression,
            @Size(max = 50) String dateFormat,
            @Size(max = 50) String numberFormat,
            EmptyAudience emptyAudience,
            Boolean manifestCsv) {}

    public record ConfigurationRequest(
            @NotBlank
            @Size(max = 100)
            @Pattern(regexp = NAME, message = "must start with a letter, then letters, digits, '_', '.' or '-'")
            String name,

            @NotNull UUID routingId,
            @Valid FormatRequest format,
            Boolean timestampFileNames,
            @Size(max = 300) String folderTemplate,
            Boolean approvalRequired,
            @Valid PricingRequest pricing) {}

    /**
     * What the provider charges: per mailed piece and per file, with the currency (all three, or no pricing at all).
     * Amounts are kept exactly as given (at most 4 decimals, never rounded).
     */
    public record PricingRequest(
            @NotNull @Schema(description = "per mailed piece, 0 or more, at most 4 decimals", example = "0.4500")
            BigDecimal perPiece,

            @NotNull @Schema(description = "per file (part) delivered, 0 or more, at most 4 decimals", example = "25")
            BigDecimal perFile,

            @NotNull @Size(min = 3, max = 3) @Schema(description = "ISO 4217 code", example = "EUR")
            String currency) {}

    /** The most one run of the campaign may cost, in its configuration's pricing currency. */
    public record BudgetRequest(
            @NotNull @Schema(description = "0 or more, at most 4 decimals", example = "5000")
            BigDecimal amount,

            @NotNull @Size(min = 3, max = 3) @Schema(description = "ISO 4217 code", example = "EUR")
            String currency) {}

    public record ConfigurationView(
            UUID id,
            String name,
            UUID routingId,
            String status,
            FormatRequest format,
            boolean timestampFileNames,
            String folderTemplate,
            boolean approvalRequired,
            PricingRequest pricing,
            ActorView updatedBy,
            Instant createdAt,
            Instant updatedAt) {}

    public record ColumnRequest(
            @NotBlank @Size(max = 100) String label,

            @Size(max = 300)
            @Pattern(regexp = PATH, message = "must be a dotted attribute path such as homeAddress.postalCode")
            String path,

            @Size(max = 2000) String expression,
            @Min(1) @Max(1000) Integer width,
            Align align,

            @Size(min = 1, max = 1, message = "must be a single character")
            String pad,

            Overflow overflow) {}

    public record SortRequest(@NotBlank @Size(max = 100) String column, Direction direction) {}

    public record SeedRequest(@NotNull @Size(max = 100) Map<String, @Size(max = 500) String> values) {}

    public record FileDefinition(
            @Size(max = 200) String nameTemplate,
            @NotEmpty @Size(max = 100) List<@NotNull @Valid ColumnRequest> columns,
            @Size(max = 10) List<@NotNull @Valid SortRequest> sort,
            @Min(1) @Max(10_000_000) Integer splitEvery,
            @Size(max = 20) List<@NotNull @Size(max = 500) String> headerNotes,
            @Size(max = 20) List<@NotNull @Size(max = 500) String> footerNotes,
            @Size(max = 100) List<@NotNull @Valid SeedRequest> seeds,
            SeedPlacement seedPlacement,
            @Valid FormatRequest format,
            @Size(max = 300) String folderTemplate,
            @Size(max = 100) String splitBy,
            @Min(1) @Max(10_000) Integer splitMaxMb) {}

    public record ScheduleRequest(
            @NotNull Frequency frequency,
            Instant at,

            @Pattern(regexp = TIME, message = "must be a time of day HH:mm")
            String time,

            @Size(max = 7) Set<DayOfWeek> daysOfWeek,
            @Min(1) @Max(28) Integer dayOfMonth,
            @Size(max = 64) String timeZone,
            LocalDate start,
            LocalDate end) {}

    public record CampaignRequest(
            @NotBlank @Size(max = 200) String name,
            @Size(max = 2000) String description,
            @NotNull CampaignType type,
            @NotNull UUID audienceId,

            @NotBlank @Pattern(regexp = NAMESPACE, message = "must be an identity namespace such as crmId")
            String identityNamespace,

            @NotNull UUID configurationId,
            @NotNull @Valid FileDefinition file,
            @Min(0) @Max(50) Integer holdoutPercent,
            Dedup dedup,
            @Size(max = 20) List<@NotNull UUID> suppressionListIds,
            @Size(max = 50) Map<@Pattern(regexp = CONSTANT) String, @Size(max = 500) String> constants,
            @Valid ScheduleRequest schedule,
            @Valid BudgetRequest budget) {}

    public record CampaignView(
            UUID id,
            String name,
            String description,
            CampaignType type,
            String status,
            UUID audienceId,
            String identityNamespace,
            UUID configurationId,
            FileDefinition file,
            Integer holdoutPercent,
            Dedup dedup,
            List<UUID> suppressionListIds,
            Map<String, String> constants,
            boolean approvalRequired,
            ActorView createdBy,
            ActorView editedBy,
            ActorView submittedBy,
            ActorView approvedBy,
            ActorView rejectedBy,
            ActorView activatedBy,
            String approvalWithdrawn,
            ScheduleRequest schedule,
            Instant nextRunAt,
            Instant createdAt,
            Instant updatedAt,
            BudgetRequest budget,
            PressureExemptionView pressureExemption) {}

    /** Whether mail-pressure rules skip the campaign; who decided it, when and why. */
    public record PressureExemptionView(boolean exempt, String reason, ActorView by, Instant at) {}

    /**
     * Exempts a campaign from the mail-pressure rules ({@code exempt: true}, with a {@code reason}) or ends the
     * exemption. Checked in the method, after the caller's role: so a caller without it learns that first.
     */
    public record PressureExemptionRequest(Boolean exempt, String reason) {}

    /** A mail-pressure rule; {@code configurationId} null makes it global. */
    public record PressureRuleRequest(
            @NotBlank @Size(max = 100) String name,

            @NotNull
            @Pattern(regexp = "^(PROFILE|HOUSEHOLD|CAMPAIGN)$", message = "must be PROFILE, HOUSEHOLD or CAMPAIGN")
            String scope,

            @NotNull @Min(1) @Max(1_000_000) Integer maxContacts,
            @NotNull @Min(1) @Max(3650) Integer days,
            UUID configurationId) {}

    public record PressureRuleView(
            UUID id,
            String name,
            String scope,
            int maxContacts,
            int days,
            UUID configurationId,
            ActorView createdBy,
            Instant createdAt,
            Instant updatedAt) {}

    /**
     * Who did something, from their access token: the subject (stable) and a display name. Null where nobody did it
     * yet (or, for what was done before sign-in existed, where nobody can be named).
     */
    public record ActorView(String subject, String name) {

        public static ActorView of(String subject, String name) {
            return subject == null ? null : new ActorView(subject, name);
        }
    }

    public record PageView<T>(List<T> items, int page, int size, long total) {}

    /** One finding of validation: errors block activation, warnings advise. */
    public record Finding(String code, String field, String message) {}

    public record ValidationView(
            boolean valid,
            List<Finding> errors,
            List<Finding> warnings,
            CostEstimateView cost,
            PressureView pressure) {}

    /**
     * The estimated cost of a run: {@code pieces} × {@code perPiece} + {@code files} × {@code perFile}. Null when the
     * configuration has no pricing or the audience could not be counted (then a warning says so).
     */
    public record CostEstimateView(
            @Schema(description = "profiles the audience matches now")
            long audience,

            @Schema(description = "of those, stopped by mail-pressure rules")
            long stoppedByPressure,

            @Schema(description = "pieces a run would mail: audience less pressure and holdout, plus seeds per file")
            long pieces,

            @Schema(
                    description =
                            "files a run would write (from splitEvery); a lower bound with split by field or size")
            long files,

            BigDecimal perPiece,
            BigDecimal perFile,
            String currency,
            BigDecimal estimatedCost,
            BudgetRequest budget,
            @Schema(description = "null without a budget") Boolean withinBudget) {}

    /** What the mail-pressure rules would stop now, in all and per rule (each rule on its own). */
    public record PressureView(long eligible, long stopped, List<RuleCountView> rules) {}

    public record RuleCountView(UUID ruleId, String name, long stopped) {}

    /** A run's actual cost, at the prices of its request; null until its rows are known or without pricing. */
    public record RunCostView(
            @Schema(description = "profile rows and seed rows written")
            long pieces,

            @Schema(description = "parts staged and delivered")
            long files,

            BigDecimal perPiece,
            BigDecimal perFile,
            String currency,
            BigDecimal amount) {}

    public record ExclusionsView(
            Long noConsent,
            Long noAddress,
            Long suppressed,
            Long duplicate,
            Long holdout,
            Long returned,
            Long pressure) {}

    public record CountsView(
            Long targeted,
            Long streamed,
            ExclusionsView excluded,
            Long exported,
            Long seedRows,
            Long rejected,
            Long delivered) {}

    public record RunFileView(String name, Long rows, Long bytes, String sha256, String stagingKey) {}

    public record AttemptView(int attempt, String destination, boolean succeeded, String error, Instant at) {}

    public record DeliveryView(String destination, String location, List<AttemptView> attempts) {}

    /** When each stage started; null until it did. */
    public record StagesView(
            Instant requested, Instant resolving, Instant extracting, Instant delivering, Instant finished) {}

    /**
     * How far a run has got, for progress bars: profiles streamed by the audience-service and rows written
     * by the extraction-service so far. Advisory while the stage runs; the exact final figures once it ended.
     * Parts and bytes staged by the extraction-service, files and bytes (staged bytes, before encryption) written
     * by the delivery's latest attempt; {@code current} is the stage under way (null when none is).
     */
    public record ProgressView(
            Long profilesStreamed,
            Long rowsWritten,
            Long partsStaged,
            Long bytesStaged,
            Integer filesDelivered,
            Long bytesDelivered,
            StageProgressView current) {}

    /**
     * The stage under way as a progress bar: {@code done} of {@code total} {@code unit}s (profiles, rows or bytes;
     * {@code total} null while unknown). {@code ratePerSecond} and {@code etaSeconds} are measured by the run's
     * server-sent events over a recent window; null when they cannot be estimated (on {@code GET /runs/{id}}, at the
     * start of a stream or of a stage, without a total, or stalled), never guessed.
     */
    @Schema(
            description = "The stage under way as a progress bar. ratePerSecond and etaSeconds only on the run's"
                    + " server-sent events, and null whenever they cannot be measured (never guessed).")
    public record StageProgressView(
            @Schema(enumeration = {"RESOLVING", "EXTRACTING", "DELIVERING"})
            String stage,

            @Schema(enumeration = {"profiles", "rows", "bytes"})
            String unit,

            @Schema(description = "units done so far, never above total")
            long done,

            @Schema(description = "units in all; null while not known (resolution before the audience is resolved)")
            Long total,

            @Schema(description = "units a second over the stream's recent window; null when not measured")
            Double ratePerSecond,

            @Schema(description = "seconds left at that rate; null without a total or a rate above 0")
            Long etaSeconds) {}

    public record PartView(int part, String name, long rows, long bytes, String sha256, String stagingKey) {}

    /**
     * A run. {@code file} summarises the first part (the whole file when not split); {@code files} lists
     * every part in order, and {@code manifest} names the manifest published after them.
     */
    public record RunView(
            UUID id,
            UUID campaignId,
            String status,
            Instant requestedAt,
            Instant updatedAt,
            Instant completedAt,
            StagesView stages,
            ProgressView progress,
            CountsView counts,
            RunFileView file,
            List<PartView> files,
            String manifest,
            DeliveryView delivery,
            String error,
            UUID retryOf,
            ActorView requestedBy,
            ActorView cancelledBy,
            RunCostView cost) {}

    /** One group of a match-back: customers, responders, response rate, revenue (per customer). */
    public record MatchBackGroupView(
            long customers, long responders, double responseRate, BigDecimal revenue, BigDecimal revenuePerCustomer) {}

    /** Mailed minus held-out response rate, with its 95% confidence interval; relative to the held-out rate. */
    public record LiftView(double absolute, double low, double high, Double relative) {}

    /**
     * A delivered run's responses within {@code windowDays} (from the audience-service), completed with its cost:
     * cost per response (mailed responders) and per incremental response (lift × mailed customers; null when the lift
     * is not above 0), in {@code currency}; all three null when the run had no pricing.
     */
    public record MatchBackView(
            UUID runId,
            UUID campaignId,
            int windowDays,
            MatchBackGroupView mailed,
            MatchBackGroupView heldOut,
            LiftView lift,
            RunCostView cost,
            BigDecimal costPerResponse,
            BigDecimal costPerIncrementalResponse,
            String currency) {}
}
