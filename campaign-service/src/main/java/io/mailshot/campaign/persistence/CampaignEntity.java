package io.mailshot.campaign.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A scheduled direct-mail campaign and its extraction-file definition. */
@Entity
@Table(name = "campaign")
public class CampaignEntity {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    public String description;

    @Column(nullable = false)
    public String type;

    @Column(nullable = false)
    public String status;

    @Column(name = "audience_id", nullable = false)
    public UUID audienceId;

    @Column(name = "identity_namespace", nullable = false)
    public String identityNamespace;

    @Column(name = "configuration_id", nullable = false)
    public UUID configurationId;

    @Column(name = "file_name_template", nullable = false)
    public String fileNameTemplate;

    /** JSON array of {label, path}; mapped by the service layer. */
    @Column(nullable = false)
    public String columns;

    /** The rest of the definition (sort, split, notes, seeds, exclusions, constants) as JSON. */
    public String definition;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_by_name")
    public String createdByName;

    @Column(name = "edited_by")
    public String editedBy;

    @Column(name = "edited_by_name")
    public String editedByName;

    @Column(name = "submitted_by")
    public String submittedBy;

    @Column(name = "submitted_by_name")
    public String submittedByName;

    @Column(name = "submitted_at")
    public Instant submittedAt;

    @Column(name = "approved_by")
    public String approvedBy;

    @Column(name = "approved_by_name")
    public String approvedByName;

    @Column(name = "approved_at")
    public Instant approvedAt;

    @Column(name = "rejected_by")
    public String rejectedBy;

    @Column(name = "rejected_by_name")
    public String rejectedByName;

    @Column(name = "activated_by")
    public String activatedBy;

    @Column(name = "activated_by_name")
    public String activatedByName;

    @Column(name = "approval_withdrawn")
    public String approvalWithdrawn;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** The most one run may cost, in {@link #budgetCurrency}; null when the campaign has no budget. */
    @Column(name = "budget_amount")
    public BigDecimal budgetAmount;

    @Column(name = "budget_currency")
    public String budgetCurrency;

    /** Exempted from mail-pressure rules by someone whose role allows it; with the reason, who and when. */
    @Column(name = "pressure_exempt", nullable = false)
    public boolean pressureExempt;

    @Column(name = "pressure_exempt_reason")
    public String pressureExemptReason;

    @Column(name = "pressure_exempt_by")
    public String pressureExemptBy;

    @Column(name = "pressure_exempt_by_name")
    public String pressureExemptByName;

    @Column(name = "pressure_exempt_at")
    public Instant pressureExemptAt;
}
