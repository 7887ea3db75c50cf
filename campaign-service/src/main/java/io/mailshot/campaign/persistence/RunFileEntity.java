package io.mailshot.campaign.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

/** One staged part of a run's file set, as the extraction-service reported it. */
@Entity
@Table(name = "run_file")
@IdClass(RunFileEntity.Key.class)
public class RunFileEntity {

    @Id
    @Column(name = "run_id")
    public UUID runId;

    @Id
    public int part;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public long rows;

    @Column(nullable = false)
    public long bytes;

    @Column(nullable = false)
    public String sha256;

    @Column(name = "staging_key", nullable = false)
    public String stagingKey;

    /** Composite key (run, part number). */
    public static class Key implements Serializable {
        public UUID runId;
        public int part;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(runId, k.runId) && part == k.part;
        }

        @Override
        public int hashCode() {
            return Objects.hash(runId, part);
        }
    }
}
