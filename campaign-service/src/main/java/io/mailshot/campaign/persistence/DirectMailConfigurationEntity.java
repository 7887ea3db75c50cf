package io.mailshot.campaign.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A named direct-mail channel setting that references a delivery-service file routing. */
@Entity
@Table(name = "direct_mail_configuration")
public class DirectMailConfigurationEntity {

    @Id
    public UUID id;

    @Column(nullable = false, unique = true)
    public String name;

    @Column(name = "routing_id", nullable = false)
    public UUID routingId;

    @Column(nullable = false)
    public String status;

    /** FileFormat defaults as JSON; null means every default. */
    public String format;

    @Column(name = "timestamp_file_names", nullable = false)
    public boolean timestampFileNames;

    /** Default folder template of the campaigns using it; null means the routing's base folder. */
    @Column(name = "folder_template")
    public String folderTemplate;

    @Column(name = "approval_required", nullable = false)
    public boolean approvalRequired;

    /** Price of one mailed piece, exactly as given; null with the other two when the configuration has no pricing. */
    @Column(name = "price_per_piece")
    public BigDecimal pricePerPiece;

    @Column(name = "price_per_file")
    public BigDecimal pricePerFile;

    /** ISO 4217 code of both prices. */
    @Column(name = "price_currency")
    public String priceCurrency;

    @Column(name = "updated_by")
    public String updatedBy;

    @Column(name = "updated_by_name")
    public String updatedByName;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
