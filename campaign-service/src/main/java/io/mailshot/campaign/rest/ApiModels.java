package io.mailshot.campaign.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The campaign-service API models. They are not entities; the service layer maps between the two. */
public final class ApiModels {

    /** A configuration name: a letter, then letters, digits, '_', '.', '-'. */
    public static final String NAME = "^[A-Za-z][A-Za-z0-9_.-]*$";
    /** A profile attribute path such as homeAddress.postalCode. */
    public static final String PATH = "^[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*){0,15}$";
    /** An identity namespace such as crmId. */
    public static final String NAMESPACE = "^[A-Za-z][A-Za-z0-9_.-]{0,63}$";

    private ApiModels() {
    }

    /** The campaign types of the platform; direct mail accepts SCHEDULED only. */
    public enum CampaignType {
        SCHEDULED, API_TRIGGERED
    }

    public record ConfigurationRequest(
            @NotBlank @Size(max = 100) @Pattern(regexp = NAME, message = "must start with a letter, then letters, digits, '_', '.' or '-'") String name,
            @NotNull UUID routingId) {
    }

    public record ConfigurationView(UUID id, String name, UUID routingId, String status, Instant createdAt,
            Instant updatedAt) {
    }

    public record ColumnRequest(@NotBlank @Size(max = 100) String label,
            @NotBlank @Size(max = 300) @Pattern(regexp = PATH, message = "must be a dotted attribute path such as homeAddress.postalCode") String path) {
    }

    public record FileDefinition(@Size(max = 200) String nameTemplate,
            @NotEmpty @Size(max = 100) List<@NotNull @Valid ColumnRequest> columns) {
    }

    public record CampaignRequest(@NotBlank @Size(max = 200) String name, @Size(max = 2000) String description,
            @NotNull CampaignType type, @NotNull UUID audienceId,
            @NotBlank @Pattern(regexp = NAMESPACE, message = "must be an identity namespace such as crmId") String identityNamespace,
            @NotNull UUID configurationId, @NotNull @Valid FileDefinition file) {
    }

    public record CampaignView(UUID id, String name, String description, CampaignType type, String status,
            UUID audienceId, String identityNamespace, UUID configurationId, FileView file, Instant createdAt,
            Instant updatedAt) {
    }

    public record FileView(String nameTemplate, List<ColumnView> columns) {
    }

    public record ColumnView(String label, String path) {
    }

    public record PageView<T>(List<T> items, int page, int size, long total) {
    }

    public record ExclusionsView(Long noConsent, Long noAddress, Long suppressed, Long duplicate, Long holdout) {
    }

    public record CountsView(Long targeted, Long streamed, ExclusionsView excluded, Long exported, Long delivered) {
    }

    public record RunFileView(String name, Long rows, Long bytes, String sha256, String stagingKey) {
    }

    public record AttemptView(int attempt, String destination, boolean succeeded, String error, Instant at) {
    }

    public record DeliveryView(String destination, String location, List<AttemptView> attempts) {
    }

    public record RunView(UUID id, UUID campaignId, String status, Instant requestedAt, Instant updatedAt,
            Instant completedAt, CountsView counts, RunFileView file, DeliveryView delivery, String error) {
    }
}
