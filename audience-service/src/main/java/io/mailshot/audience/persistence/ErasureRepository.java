package io.mailshot.audience.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The right to erasure in the database: the erased identities' hashes ({@code erased_identity}), and the statements
 * that remove or anonymise one identity's rows. {@link #erase} runs in the caller's transaction (its connection is
 * enlisted), so every step commits together or none does.
 */
@ApplicationScoped
public class ErasureRepository {

    private final DataSource dataSource;

    public ErasureRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Which of these hashes are of erased identities: one indexed query per ingestion batch. */
    public Set<String> erased(Collection<String> hashes) throws SQLException {
        if (hashes.isEmpty()) {
            return Set.of();
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement select =
                        c.prepareStatement("select identity_hash from erased_identity where identity_hash = any(?)")) {
            Array array = c.createArrayOf("text", hashes.toArray());
            select.setArray(1, array);
            Set<String> found = new HashSet<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
            return found;
        }
    }

    /** What one erasure found and did. */
    public record Erased(
            boolean alreadyErased, boolean profileDeleted, long historyRows, long responses, List<UUID> runIds) {

        /** Whether the service held anything of the identity. */
        public boolean foundAnything() {
            return profileDeleted || historyRows > 0 || responses > 0;
        }
    }

    /**
     * Deletes the identity's profile, responses and run memberships, lists the runs of its contact history and
     * memberships and then anonymises those
     * rows (identity, namespace and household key become null; run, campaign, file, part, cell, holdout and time stay,
     * so every count stays true), and remembers the hash. Must run in a transaction: on a rollback nothing happened.
     */
    public Erased erase(String namespace, String id, String hash, UUID erasureId, Instant at) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean already;
            try (PreparedStatement select =
                    c.prepareStatement("select 1 from erased_identity where identity_hash = ? for update")) {
                select.setString(1, hash);
                try (ResultSet rs = select.executeQuery()) {
                    already = rs.next();
                }
            }
            boolean profile = update(c, "delete from profile where namespace = ? and identity = ?", namespace, id) > 0;
            List<UUID> runs = new ArrayList<>();
            // Runs not delivered yet (or never) may have staged the profile too: their members name them.
            try (PreparedStatement select = c.prepareStatement("select run_id from contact_history"
                    + " where namespace = ? and identity = ? union select run_id from run_member"
                    + " where namespace = ? and identity = ? order by run_id")) {
                select.setString(1, namespace);
                select.setString(2, id);
                select.setString(3, namespace);
                select.setString(4, id);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        runs.add(rs.getObject(1, UUID.class));
                    }
                }
            }
            long history = update(
                    c,
                    "update contact_history set namespace = null, identity = null, household_key = null"
                            + " where namespace = ? and identity = ?",
                    namespace,
                    id);
            long responses = update(c, "delete from response where namespace = ? and identity = ?", namespace, id);
            // A run resolved before the erasure and delivered after it then records no row of the person: its
            // placement finds no member.
            update(c, "delete from run_member where namespace = ? and identity = ?", namespace, id);
            Erased erased = new Erased(already, profile, history, responses, List.copyOf(runs));
            if (!already && erased.foundAnything()) {
                try (PreparedStatement insert = c.prepareStatement("insert into erased_identity"
                        + " (identity_hash, erasure_id, erased_at) values (?, ?, ?) on conflict do nothing")) {
                    insert.setString(1, hash);
                    insert.setObject(2, erasureId);
                    insert.setTimestamp(3, Timestamp.from(at));
                    insert.executeUpdate();
                }
            }
            return erased;
        }
    }

    private static long update(Connection c, String sql, String namespace, String id) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setString(1, namespace);
            statement.setString(2, id);
            return statement.executeLargeUpdate();
        }
    }
}
