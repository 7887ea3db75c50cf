package io.mailshot.campaign.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** One run of a campaign: its snapshot and the projection of every stage's events. */
@Entity
@Table(name = "run")
public class RunEntity {

    @Id
    public UUID id;

    @Column(name = "campaign_id", nullable = false)
    public UUID campaignId;

    @Column(nullable = false)
    public String status;

    /** The RunSpec as JSON. */
    @Column(nullable = false)
    public String spec;

    @Column(name = "file_name", nullable = false)
    public String fileName;

    @Column(name = "routing_id", nullable = false)
    public UUID routingId;

    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    public Long matched;
    public Long streamed;

    @Column(name = "no_consent")
    public Long noConsent;

    @Column(name = "no_address")
    public Long noAddress;

    public Long suppressed;
    public Long duplicate;
    public Long holdout;
    public Long returned;
    public Long pressure;

    /** The configuration's prices when the run was requested (null when it had none): what the run's cost uses. */
    @Column(name = "price_per_piece")
    public BigDecimal pricePerPiece;

    @Column(name = "price_per_file")
    public BigDecimal pricePerFile;

    @Column(name = "price_currency")
    public String priceCurrency;

    @Column(name = "exported_rows")
    public Long exportedRows;

    @Column(name = "file_bytes")
    public Long fileBytes;

    @Column(name = "file_sha256")
    public String fileSha256;

    @Column(name = "staging_key")
    public String stagingKey;

    public String destination;

    @Column(name = "delivered_location")
    public String deliveredLocation;

    public String error;

    @Column(name = "resolving_at")
    public Instant resolvingAt;

    @Column(name = "extracting_at")
    public Instant extractingAt;

    @Column(name = "delivering_at")
    public Instant deliveringAt;

    @Column(name = "manifest_name")
    public String manifestName;

    @Column(name = "seed_rows")
    public Long seedRows;

    @Column(name = "rejected_rows")
    public Long rejectedRows;
    /** When its delivery succeeded (the run is DELIVERED once its extraction's counts are in too). */
    @Column(name = "delivered_at")
    public Instant deliveredAt;

    @Column(name = "requested_by")
    public String requestedBy;

    @Column(name = "requested_by_name")
    public String requestedByName;

    @Column(name = "cancelled_by")
    public String cancelledBy;

    @Column(name = "cancelled_by_name")
    public String cancelledByName;
    /** The FAILED run this one retries, if it is a retry. */
    @Column(name = "retry_of")
    public UUID retryOf;
    /** Written only by {@code RunProgress}'s single UPDATE, so a projection never writes back a stale figure. */
    @Column(name = "rows_written", insertable = false, updatable = false)
    public Long rowsWritten;

    // The advisory figures below, like rowsWritten, are written only by RunProgress's single UPDATEs.
    @Column(name = "parts_staged", insertable = false, updatable = false)
    public Long partsStaged;

    @Column(name = "bytes_staged", insertable = false, updatable = false)
    public Long bytesStaged;

    @Column(name = "files_written", insertable = false, updatable = false)
    public Integer filesWritten;

    @Column(name = "files_to_write", insertable = false, updatable = false)
    public Integer filesToWrite;

    @Column(name = "bytes_delivered", insertable = false, updatable = false)
    public Long bytesDelivered;

    @Column(name = "bytes_to_deliver", insertable = false, updatable = false)
    public Long bytesToDeliver;
}
