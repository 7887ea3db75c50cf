package io.mailshot.delivery.persistence;

import io.mailshot.kit.domain.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** JDBC access to {@code file_routing}. Callers hold the transaction. */
@ApplicationScoped
public class RoutingRepository {

    private static final String COLUMNS = "id, name, type, status, base_folder, created_at, s3_bucket, s3_region,"
            + " s3_endpoint, s3_path_style, s3_access_key_id, s3_secret_access_key_enc, sftp_host, sftp_port,"
            + " sftp_username, sftp_password_enc, sftp_private_key_enc, sftp_host_key_fingerprint, pgp_public_key,"
            + " pgp_key_fingerprint, timestamp_file_names, s3_server_side_encryption, s3_kms_key_id, azure_container,"
            + " azure_account_name, azure_blob_endpoint, azure_connection_string_enc";

    private final DataSource dataSource;

    public RoutingRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void insert(RoutingRow r) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "insert into file_routing (" + COLUMNS
                                + ", updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setObject(1, r.id());
            s.setString(2, r.name());
            s.setString(3, r.type());
            s.setString(4, r.status());
            s.setString(5, r.baseFolder());
            s.setTimestamp(6, Timestamp.from(r.createdAt()));
            s.setString(7, r.s3Bucket());
            s.setString(8, r.s3Region());
            s.setString(9, r.s3Endpoint());
            if (r.s3PathStyle() == null) {
                s.setNull(10, Types.BOOLEAN);
            } else {
                s.setBoolean(10, r.s3PathStyle());
            }
            s.setString(11, r.s3AccessKeyId());
            s.setString(12, r.s3SecretAccessKeyEnc());
            s.setString(13, r.sftpHost());
            if (r.sftpPort() == null) {
                s.setNull(14, Types.INTEGER);
            } else {
                s.setInt(14, r.sftpPort());
            }
            s.setString(15, r.sftpUsername());
            s.setString(16, r.sftpPasswordEnc());
            s.setString(17, r.sftpPrivateKeyEnc());
            s.setString(18, r.sftpHostKeyFingerprint());
            s.setString(19, r.pgpPublicKey());
            s.setString(20, r.pgpKeyFingerprint());
            s.setBoolean(21, r.timestampFileNames());
            s.setString(22, r.s3ServerSideEncryption());
            s.setString(23, r.s3KmsKeyId());
            s.setString(24, r.azureContainer());
            s.setString(25, r.azureAccountName());
            s.setString(26, r.azureBlobEndpoint());
            s.setString(27, r.azureConnectionStringEnc());
            s.setTimestamp(28, Timestamp.from(r.createdAt()));
            s.executeUpdate();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                // Lost a race with a concurrent create of the same name.
                throw DomainException.conflict("name", "unique", "a routing named " + r.name() + " already exists");
            }
            throw new IllegalStateException("could not insert routing " + r.id() + ": " + e.getSQLState(), e);
        }
    }

    /** Replaces every setting of the routing (id, type and creation time stay). */
    public void update(RoutingRow r) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("update file_routing set name = ?, status = ?,"
                        + " base_folder = ?, s3_bucket = ?, s3_region = ?, s3_endpoint = ?, s3_path_style = ?,"
                        + " s3_access_key_id = ?, s3_secret_access_key_enc = ?, sftp_host = ?, sftp_port = ?,"
                        + " sftp_username = ?, sftp_password_enc = ?, sftp_private_key_enc = ?,"
                        + " sftp_host_key_fingerprint = ?, pgp_public_key = ?, pgp_key_fingerprint = ?,"
                        + " timestamp_file_names = ?, s3_server_side_encryption = ?, s3_kms_key_id = ?,"
                        + " azure_container = ?, azure_account_name = ?, azure_blob_endpoint = ?,"
                        + " azure_connection_string_enc = ?, updated_at = ? where id = ?")) {
            s.setString(1, r.name());
            s.setString(2, r.status());
            s.setString(3, r.baseFolder());
            s.setString(4, r.s3Bucket());
            s.setString(5, r.s3Region());
            s.setString(6, r.s3Endpoint());
            s.setObject(7, r.s3PathStyle(), Types.BOOLEAN);
            s.setString(8, r.s3AccessKeyId());
            s.setString(9, r.s3SecretAccessKeyEnc());
            s.setString(10, r.sftpHost());
            s.setObject(11, r.sftpPort(), Types.INTEGER);
            s.setString(12, r.sftpUsername());
            s.setString(13, r.sftpPasswordEnc());
            s.setString(14, r.sftpPrivateKeyEnc());
            s.setString(15, r.sftpHostKeyFingerprint());
            s.setString(16, r.pgpPublicKey());
            s.setString(17, r.pgpKeyFingerprint());
            s.setBoolean(18, r.timestampFileNames());
            s.setString(19, r.s3ServerSideEncryption());
            s.setString(20, r.s3KmsKeyId());
            s.setString(21, r.azureContainer());
            s.setString(22, r.azureAccountName());
            s.setString(23, r.azureBlobEndpoint());
            s.setString(24, r.azureConnectionStringEnc());
            s.setTimestamp(25, Timestamp.from(Instant.now()));
            s.setObject(26, r.id());
            s.executeUpdate();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw DomainException.conflict("name", "unique", "a routing named " + r.name() + " already exists");
            }
            throw new IllegalStateException("could not update routing " + r.id() + ": " + e.getSQLState(), e);
        }
    }

    /** The routing, locked until the end of the transaction (concurrent updates serialise). */
    public Optional<RoutingRow> findForUpdate(UUID id) {
        return query("select " + COLUMNS + " from file_routing where id = ? for update", id).stream()
                .findFirst();
    }

    public Optional<RoutingRow> find(UUID id) {
        List<RoutingRow> rows = query("select " + COLUMNS + " from file_routing where id = ?", id);
        return rows.stream().findFirst();
    }

    public boolean nameExists(String name) {
        return !query("select " + COLUMNS + " from file_routing where name = ?", name)
                .isEmpty();
    }

    public List<RoutingRow> list() {
        return query("select " + COLUMNS + " from file_routing order by created_at, name");
    }

    /** Sets the status; returns false when the routing does not exist. */
    public boolean updateStatus(UUID id, String status) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement("update file_routing set status = ?, updated_at = ? where id = ?")) {
            s.setString(1, status);
            s.setTimestamp(2, Timestamp.from(Instant.now()));
            s.setObject(3, id);
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("could not update routing " + id, e);
        }
    }

    private List<RoutingRow> query(String sql, Object... params) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            List<RoutingRow> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(map(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read routings", e);
        }
    }

    private static RoutingRow map(ResultSet rs) throws SQLException {
        boolean pathStyle = rs.getBoolean("s3_path_style");
        Boolean pathStyleOrNull = rs.wasNull() ? null : pathStyle;
        int port = rs.getInt("sftp_port");
        Integer portOrNull = rs.wasNull() ? null : port;
        return new RoutingRow(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getString("type"),
                rs.getString("status"),
                rs.getString("base_folder"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getString("s3_bucket"),
                rs.getString("s3_region"),
                rs.getString("s3_endpoint"),
                pathStyleOrNull,
                rs.getString("s3_access_key_id"),
                rs.getString("s3_secret_access_key_enc"),
                rs.getString("sftp_host"),
                portOrNull,
                rs.getString("sftp_username"),
                rs.getString("sftp_password_enc"),
                rs.getString("sftp_private_key_enc"),
                rs.getString("sftp_host_key_fingerprint"),
                rs.getString("pgp_public_key"),
                rs.getString("pgp_key_fingerprint"),
                rs.getBoolean("timestamp_file_names"),
                rs.getString("s3_server_side_encryption"),
                rs.getString("s3_kms_key_id"),
                rs.getString("azure_container"),
                rs.getString("azure_account_name"),
                rs.getString("azure_blob_endpoint"),
                rs.getString("azure_connection_string_enc"));
    }
}
