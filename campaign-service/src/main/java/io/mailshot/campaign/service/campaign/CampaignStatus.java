package io.mailshot.campaign.service.campaign;

/**
 * A campaign's lifecycle: DRAFT → (optional approval: PENDING_APPROVAL → APPROVED) → SCHEDULED/ACTIVE →
 * COMPLETED, or STOPPED / ARCHIVED.
 */
public enum CampaignStatus {
    DRAFT,
    PENDING_APPROVAL,
    APPROVED,
    SCHEDULED,
    ACTIVE,
    COMPLETED,
    STOPPED,
    ARCHIVED;

    public boolean isFinal() {
        return this == STOPPED || this == ARCHIVED || this == COMPLETED;
    }
}
