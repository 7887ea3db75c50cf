package io.mailshot.campaign.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A mail-pressure rule: global (no configuration) or attached to one direct-mail configuration. */
@Entity
@Table(name = "pressure_rule")
public class PressureRuleEntity {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String scope;

    @Column(name = "max_contacts", nullable = false)
    public int maxContacts;

    @Column(nullable = false)
    public int days;

    /** Null: the rule applies to every campaign. */
    @Column(name = "configuration_id")
    public UUID configurationId;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_by_name")
    public String createdByName;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
