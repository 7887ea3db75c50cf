package io.mailshot.campaign.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** One delivery attempt of a run, as reported by the delivery-service. */
@Entity
@Table(name = "run_delivery_attempt")
@IdClass(DeliveryAttemptEntity.Key.class)
public class DeliveryAttemptEntity {

    @Id
    @Column(name = "run_id")
    public UUID runId;

    @Id
    public int attempt;

    public String destination;

    @Column(nullable = false)
    public boolean succeeded;

    public String error;

    @Column(nullable = false)
    public Instant at;

    /** Composite key (run, attempt number). */
    public static class Key implements Serializable {
        public UUID runId;
        public int attempt;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(runId, k.runId) && attempt == k.attempt;
        }

        @Override
        public int hashCode() {
            return Objects.hash(runId, attempt);
        }
    }
}
