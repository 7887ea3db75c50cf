package io.mailshot.delivery.service.routing;

import io.mailshot.delivery.persistence.RoutingRepository;
import io.mailshot.delivery.persistence.RoutingRow;
import io.mailshot.delivery.service.crypto.KeyMaterial;
import io.mailshot.delivery.service.crypto.PgpEncryption;
import io.mailshot.delivery.service.crypto.SecretCipher;
import io.mailshot.delivery.service.egress.EgressGuard;
import io.mailshot.events.Actor;
import io.mailshot.events.RoutingChanged;
import io.mailshot.events.Topics;
import io.mailshot.events.files.PathRules;
import io.mailshot.kit.audit.AuditTrail;
import io.mailshot.kit.domain.DomainException;
import io.mailshot.kit.persistence.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/** Creates and manages file routings; encrypts their secrets before they reach the database. */
@ApplicationScoped
public class RoutingService {

    private static final Logger LOG = Logger.getLogger(RoutingService.class);
    private static final Pattern IP_ADDRESS = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");

    static final String S3_SECRET = "s3.secretAccessKey";
    static final String SFTP_PASSWORD = "sftp.password";
    static final String SFTP_PRIVATE_KEY = "sftp.privateKey";
    static final String AZURE_CONNECTION_STRING = "azureBlob.connectionString";

    private final RoutingRepository routings;
    private final SecretCipher cipher;
    private final EgressGuard egress;
    private final Outbox outbox;
    private final AuditTrail audit;

    public RoutingService(
            RoutingRepository routings, SecretCipher cipher, EgressGuard egress, Outbox outbox, AuditTrail audit) {
        this.audit = audit;
        this.routings = routings;
        this.cipher = cipher;
        this.egress = egress;
        this.outbox = outbox;
    }

    @Transactional
    public RoutingRow create(RoutingSpec request, Actor actor) {
        RoutingStatus status = request.status() == null ? RoutingStatus.DRAFT : request.status();
        if (status == RoutingStatus.ARCHIVED) {
            throw DomainException.invalid("status", "creatable-status", "status must be DRAFT or ACTIVE when creating");
        }
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        RoutingRow row = build(
                id,
                request.name(),
                request.type(),
                status,
                request.baseFolder(),
                now,
                request.s3(),
                request.sftp(),
                request.azureBlob(),
                request.pgpPublicKey(),
                request.timestampFileNames(),
                null);
        if (routings.nameExists(request.name())) {
            throw DomainException.conflict("name", "unique", "a routing named " + request.name() + " already exists");
        }
        checkEgress(row);
        routings.insert(row);
        audit.record(
                actor,
                "routing.create",
                AuditTrail.ref("routing", id),
                AuditTrail.details(
                        "name", row.name(), "type", row.type(), "status", row.status(), "secretSet", hasSecret(row)));
        LOG.infof("created %s routing %s (%s) in status %s", row.type(), id, row.name(), row.status());
        return row;
    }

    /**
     * Replaces a routing's settings. Secrets not sent are kept while the destination stays (an SFTP routing
     * switching between password and key drops the other one); a change of the destination ({@link
     * #SECRET_BOUND}) drops every stored secret unless this request sends it again, and an ACTIVE routing must
     * keep one. The type cannot change; an archived routing cannot be edited. A change of the destination, of how
     * files land there, or of the status is published as {@link RoutingChanged} in the same transaction.
     */
    @Transactional
    public RoutingRow update(UUID id, RoutingSpec request, Actor actor) {
        RoutingRow current = routings.findForUpdate(id).orElseThrow(() -> DomainException.notFound("file routing", id));
        if (RoutingStatus.ARCHIVED.name().equals(current.status())) {
            throw DomainException.conflict("status", "not-archived", "file routing " + id + " is archived");
        }
        if (!current.type().equals(request.type().name())) {
            throw DomainException.invalid(
                    "type",
                    "immutable",
                    "type cannot change (it is " + current.type() + "): create a new routing instead");
        }
        RoutingStatus status = request.status() == null ? RoutingStatus.valueOf(current.status()) : request.status();
        if (status == RoutingStatus.ARCHIVED) {
            throw DomainException.invalid(
                    "status",
                    "updatable-status",
                    "status must be DRAFT or ACTIVE; archive with DELETE /file-routings/" + id);
        }
        RoutingRow row = build(
                id,
                request.name(),
                request.type(),
                status,
                request.baseFolder(),
                current.createdAt(),
                request.s3(),
                request.sftp(),
                request.azureBlob(),
                request.pgpPublicKey(),
                request.timestampFileNames(),
                current);
        if (!current.name().equals(request.name()) && routings.nameExists(request.name())) {
            throw DomainException.conflict("name", "unique", "a routing named " + request.name() + " already exists");
        }
        List<String> changed = changes(current, row);
        List<String> moved = changed.stream().filter(SECRET_BOUND::contains).toList();
        boolean resent = !Objects.equals(current.s3SecretAccessKeyEnc(), row.s3SecretAccessKeyEnc())
                || !Objects.equals(current.sftpPasswordEnc(), row.sftpPasswordEnc())
                || !Objects.equals(current.sftpPrivateKeyEnc(), row.sftpPrivateKeyEnc())
                || !Objects.equals(current.azureConnectionStringEnc(), row.azureConnectionStringEnc());
        if (!moved.isEmpty() && !resent) {
            // A secret stays with its destination: the kept password must not log in to the new host.
            row = row.withoutSecrets();
        }
        if (status == RoutingStatus.ACTIVE && !hasSecret(row)) {
            String field = secretField(request.type());
            throw DomainException.invalid(
                    field,
                    "required",
                    field + " is required: an ACTIVE routing must be able to"
                            + " log in, and "
                            + (moved.isEmpty()
                                    ? "none is stored"
                                    : "the stored one does not follow a" + " change of " + String.join(", ", moved))
                            + " (send it with this request, or save as DRAFT)");
        }
        checkEgress(row);
        routings.update(row);
        // Field names and whether the secret went: never a value, never the secret.
        audit.record(
                actor,
                "routing.update",
                AuditTrail.ref("routing", id),
                AuditTrail.details(
                        "changed",
                        changed,
                        "from",
                        current.status(),
                        "to",
                        row.status(),
                        "secretDropped",
                        !moved.isEmpty() && !resent,
                        "secretResent",
                        resent));
        if (!changed.isEmpty()) {
            published(id, changed, row.status());
        }
        LOG.infof(
                "updated %s routing %s (%s) in status %s%s",
                row.type(),
                id,
                row.name(),
                row.status(),
                !moved.isEmpty() && !resent ? "; its secret was dropped (destination changed: " + moved + ")" : "");
        return row;
    }

    /** Validates and builds the row; {@code current} (null on create) supplies secrets that are not re-sent. */
    private RoutingRow build(
            UUID id,
            String name,
            RoutingType type,
            RoutingStatus status,
            String folder,
            Instant createdAt,
            RoutingSpec.S3 s3,
            RoutingSpec.Sftp sftp,
            RoutingSpec.AzureBlob azure,
            String pgpPublicKey,
            boolean timestamps,
            RoutingRow current) {
        String baseFolder;
        try {
            baseFolder = PathRules.normaliseBaseFolder(folder);
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid("baseFolder", "relative-safe-path", "baseFolder " + e.getMessage());
        }
        String pgpKey = pgpPublicKey == null || pgpPublicKey.isBlank() ? null : pgpPublicKey.strip();
        String pgpFingerprint = null;
        if (pgpKey != null) {
            try {
                pgpFingerprint = PgpEncryption.parse(pgpKey).fingerprint();
            } catch (IllegalArgumentException e) {
                throw DomainException.invalid("pgpPublicKey", "openpgp-public-key", "pgpPublicKey " + e.getMessage());
            }
        }
        onlySettingsOf(type, s3, sftp, azure);
        RoutingRow row = switch (type) {
            case S3 -> s3Row(id, name, s3, status, baseFolder, createdAt, current);
            case SFTP -> sftpRow(id, name, sftp, status, baseFolder, createdAt, current);
            case AZURE_BLOB -> azureRow(id, name, azure, status, baseFolder, createdAt, current);
        };
        return row.withCommon(pgpKey, pgpFingerprint, timestamps);
    }

    public RoutingRow get(UUID id) {
        return routings.find(id).orElseThrow(() -> DomainException.notFound("file routing", id));
    }

    public List<RoutingRow> list() {
        return routings.list();
    }

    /** Activates a routing that can log in; 409 {@code secret-required} when its secret was dropped. */
    @Transactional
    public RoutingRow activate(UUID id, Actor actor) {
        RoutingRow row = routings.findForUpdate(id).orElseThrow(() -> DomainException.notFound("file routing", id));
        if (RoutingStatus.ARCHIVED.name().equals(row.status())) {
            throw DomainException.conflict("status", "not-archived", "file routing " + id + " is archived");
        }
        if (!hasSecret(row)) {
            String field = secretField(RoutingType.valueOf(row.type()));
            throw DomainException.conflict(
                    field,
                    "secret-required",
                    "file routing " + id + " has no stored "
                            + field + " (it was dropped when the destination changed): send it with PUT /file-routings/"
                            + id + ", then activate");
        }
        if (!RoutingStatus.ACTIVE.name().equals(row.status())) {
            routings.updateStatus(id, RoutingStatus.ACTIVE.name());
            published(id, List.of("status"), RoutingStatus.ACTIVE.name());
            audit.record(
                    actor,
                    "routing.activate",
                    AuditTrail.ref("routing", id),
                    AuditTrail.details("from", row.status(), "to", RoutingStatus.ACTIVE.name()));
        }
        LOG.infof("activated routing %s", id);
        return get(id);
    }

    @Transactional
    public void archive(UUID id, Actor actor) {
        RoutingRow row = routings.findForUpdate(id).orElseThrow(() -> DomainException.notFound("file routing", id));
        if (!RoutingStatus.ARCHIVED.name().equals(row.status())) {
            routings.updateStatus(id, RoutingStatus.ARCHIVED.name());
            published(id, List.of("status"), RoutingStatus.ARCHIVED.name());
            audit.record(
                    actor,
                    "routing.archive",
                    AuditTrail.ref("routing", id),
                    AuditTrail.details("from", row.status(), "to", RoutingStatus.ARCHIVED.name()));
        }
        LOG.infof("archived routing %s", id);
    }

    /**
     * The fields a secret is bound to: change one without sending the secret again and the stored secret is
     * dropped (the S3 access key id and the Azure account name are the user).
     */
    static final Set<String> SECRET_BOUND = Set.of(
            "s3.endpoint",
            "s3.bucket",
            "s3.region",
            "s3.accessKeyId",
            "sftp.host",
            "sftp.port",
            "sftp.username",
            "azureBlob.accountName",
            "azureBlob.blobEndpoint",
            "azureBlob.container");

    /**
     * What a consumer of {@link RoutingChanged} must know changed: the destination, how files land there (base
     * folder, encryption, pinned host key, path style, server-side encryption) and the status. Names and
     * timestamped names are not in it; secrets never are.
     */
    static List<String> changes(RoutingRow a, RoutingRow b) {
        Map<String, Object[]> fields = new LinkedHashMap<>();
        fields.put("status", new Object[] {a.status(), b.status()});
        fields.put("baseFolder", new Object[] {a.baseFolder(), b.baseFolder()});
        fields.put("pgpPublicKey", new Object[] {a.pgpKeyFingerprint(), b.pgpKeyFingerprint()});
        fields.put("s3.endpoint", new Object[] {a.s3Endpoint(), b.s3Endpoint()});
        fields.put("s3.bucket", new Object[] {a.s3Bucket(), b.s3Bucket()});
        fields.put("s3.region", new Object[] {a.s3Region(), b.s3Region()});
        fields.put("s3.accessKeyId", new Object[] {a.s3AccessKeyId(), b.s3AccessKeyId()});
        fields.put(
                "s3.pathStyle",
                new Object[] {Boolean.TRUE.equals(a.s3PathStyle()), Boolean.TRUE.equals(b.s3PathStyle())});
        fields.put("s3.serverSideEncryption", new Object[] {a.s3ServerSideEncryption(), b.s3ServerSideEncryption()});
        fields.put("s3.kmsKeyId", new Object[] {a.s3KmsKeyId(), b.s3KmsKeyId()});
        fields.put("sftp.host", new Object[] {a.sftpHost(), b.sftpHost()});
        fields.put("sftp.port", new Object[] {a.sftpPort(), b.sftpPort()});
        fields.put("sftp.username", new Object[] {a.sftpUsername(), b.sftpUsername()});
        fields.put("sftp.hostKeyFingerprint", new Object[] {a.sftpHostKeyFingerprint(), b.sftpHostKeyFingerprint()});
        fields.put("azureBlob.accountName", new Object[] {a.azureAccountName(), b.azureAccountName()});
        fields.put("azureBlob.blobEndpoint", new Object[] {a.azureBlobEndpoint(), b.azureBlobEndpoint()});
        fields.put("azureBlob.container", new Object[] {a.azureContainer(), b.azureContainer()});
        return fields.entrySet().stream()
                .filter(f -> !Objects.equals(f.getValue()[0], f.getValue()[1]))
                .map(Map.Entry::getKey)
                .toList();
    }

    private void published(UUID id, List<String> changed, String status) {
        outbox.append(
                Topics.ROUTING_CHANGES,
                id.toString(),
                new RoutingChanged(id, changed, status, Instant.now().truncatedTo(ChronoUnit.MICROS)));
    }

    private static boolean hasSecret(RoutingRow row) {
        return switch (RoutingType.valueOf(row.type())) {
            case S3 -> row.s3SecretAccessKeyEnc() != null;
            case SFTP -> row.sftpPasswordEnc() != null || row.sftpPrivateKeyEnc() != null;
            case AZURE_BLOB -> row.azureConnectionStringEnc() != null;
        };
    }

    private static String secretField(RoutingType type) {
        return switch (type) {
            case S3 -> S3_SECRET;
            case SFTP -> SFTP_PASSWORD;
            case AZURE_BLOB -> AZURE_CONNECTION_STRING;
        };
    }

    /** The destination's host, resolved and checked against the egress policy before it is stored. */
    private void checkEgress(RoutingRow row) {
        String host = switch (RoutingType.valueOf(row.type())) {
            case SFTP -> row.sftpHost();
            case S3 ->
                row.s3Endpoint() == null ? null : URI.create(row.s3Endpoint()).getHost();
            case AZURE_BLOB ->
                row.azureBlobEndpoint() == null
                        ? null
                        : URI.create(row.azureBlobEndpoint()).getHost();
        };
        Destinations.checkForApi(egress, Destinations.field(RoutingType.valueOf(row.type())), host);
    }

    /** The routing with its secrets decrypted (in memory only), or empty when unknown. */
    public Optional<Routing> resolve(UUID id) {
        return routings.find(id).map(this::decrypt);
    }

    private Routing decrypt(RoutingRow r) {
        RoutingType type = RoutingType.valueOf(r.type());
        Routing.S3Target s3 = null;
        Routing.SftpTarget sftp = null;
        Routing.AzureTarget azure = null;
        if (type == RoutingType.S3) {
            s3 = new Routing.S3Target(
                    r.s3Bucket(),
                    r.s3Region(),
                    r.s3Endpoint(),
                    Boolean.TRUE.equals(r.s3PathStyle()),
                    r.s3AccessKeyId(),
                    r.s3SecretAccessKeyEnc() == null
                            ? null
                            : cipher.decrypt(r.id(), S3_SECRET, r.s3SecretAccessKeyEnc()),
                    r.s3ServerSideEncryption(),
                    r.s3KmsKeyId());
        } else if (type == RoutingType.AZURE_BLOB) {
            if (r.azureConnectionStringEnc() == null) {
                // Dropped with a change of destination: what is shown of the endpoint, and no key.
                azure = new Routing.AzureTarget(
                        null,
                        new AzureConnectionString(r.azureAccountName(), null, r.azureBlobEndpoint()),
                        r.azureContainer());
            } else {
                String connection = cipher.decrypt(r.id(), AZURE_CONNECTION_STRING, r.azureConnectionStringEnc());
                azure = new Routing.AzureTarget(
                        connection, AzureConnectionString.parse(connection), r.azureContainer());
            }
        } else {
            sftp = new Routing.SftpTarget(
                    r.sftpHost(),
                    r.sftpPort(),
                    r.sftpUsername(),
                    r.sftpPasswordEnc() == null ? null : cipher.decrypt(r.id(), SFTP_PASSWORD, r.sftpPasswordEnc()),
                    r.sftpPrivateKeyEnc() == null
                            ? null
                            : cipher.decrypt(r.id(), SFTP_PRIVATE_KEY, r.sftpPrivateKeyEnc()),
                    r.sftpHostKeyFingerprint());
        }
        // The key was validated when stored; parsing it again here keeps the routing self-contained.
        PgpEncryption pgp = r.pgpPublicKey() == null ? null : PgpEncryption.parse(r.pgpPublicKey());
        return new Routing(
                r.id(),
                r.name(),
                type,
                RoutingStatus.valueOf(r.status()),
                r.baseFolder(),
                pgp,
                s3,
                sftp,
                azure,
                r.timestampFileNames());
    }

    /** Exactly the settings block of the routing's type: s3, sftp or azureBlob. */
    private static void onlySettingsOf(
            RoutingType type, RoutingSpec.S3 s3, RoutingSpec.Sftp sftp, RoutingSpec.AzureBlob azure) {
        Map<String, Object> blocks = new LinkedHashMap<>();
        blocks.put("s3", s3);
        blocks.put("sftp", sftp);
        blocks.put("azureBlob", azure);
        String own = switch (type) {
            case S3 -> "s3";
            case SFTP -> "sftp";
            case AZURE_BLOB -> "azureBlob";
        };
        if (blocks.get(own) == null) {
            throw DomainException.invalid(own, "required", own + " settings are required for type " + type);
        }
        for (var block : blocks.entrySet()) {
            if (!block.getKey().equals(own) && block.getValue() != null) {
                throw DomainException.invalid(
                        block.getKey(), "forbidden", block.getKey() + " settings are not allowed for type " + type);
            }
        }
    }

    private RoutingRow s3Row(
            UUID id,
            String name,
            RoutingSpec.S3 s3,
            RoutingStatus status,
            String baseFolder,
            Instant createdAt,
            RoutingRow current) {
        if (s3.bucket().contains("..")
                || s3.bucket().contains(".-")
                || s3.bucket().contains("-.")
                || IP_ADDRESS.matcher(s3.bucket()).matches()
                || s3.bucket().startsWith("xn--")) {
            throw DomainException.invalid(
                    "s3.bucket",
                    "s3-bucket-name",
                    "s3.bucket must not contain '..', '.-' or '-.', look like an IP address or start with xn--");
        }
        String endpoint = s3.endpoint() == null || s3.endpoint().isBlank()
                ? null
                : s3.endpoint().strip();
        if (endpoint != null) {
            URI uri;
            try {
                uri = HostNames.httpEndpoint(endpoint);
            } catch (IllegalArgumentException e) {
                throw DomainException.invalid(
                        "s3.endpoint",
                        "http-url",
                        "s3.endpoint " + e.getMessage()
                                + " (e.g. https://s3.example.com or http://[2001:db8::1]:9000)");
            }
            if (uri.getRawPath() != null
                    && !uri.getRawPath().isEmpty()
                    && !uri.getRawPath().equals("/")) {
                // The client puts the bucket (path style) or nothing in the path: a path of its own would be lost.
                throw DomainException.invalid(
                        "s3.endpoint",
                        "http-url",
                        "s3.endpoint must not have a path: give the"
                                + " server's address only (the bucket goes in s3.bucket)");
            }
            if (HostNames.isIpLiteral(uri.getHost()) && !Boolean.TRUE.equals(s3.pathStyle())) {
                // Virtual-hosted style puts the bucket in the host name, which an IP address cannot take.
                throw DomainException.invalid(
                        "s3.pathStyle",
                        "path-style-for-ip",
                        "s3.pathStyle must be true when"
                                + " s3.endpoint is an IP address: the bucket cannot go in the host name");
            }
        }
        String secretEnc;
        if (s3.secretAccessKey() != null) {
            secretEnc = cipher.encrypt(id, S3_SECRET, s3.secretAccessKey());
        } else if (current != null) {
            secretEnc = current.s3SecretAccessKeyEnc(); // null when it was dropped: then the routing stays a DRAFT
        } else {
            throw DomainException.invalid("s3.secretAccessKey", "required", "s3.secretAccessKey is required");
        }
        String sse =
                s3.serverSideEncryption() == null || s3.serverSideEncryption().isBlank()
                        ? null
                        : s3.serverSideEncryption();
        String kmsKeyId = s3.kmsKeyId() == null || s3.kmsKeyId().isBlank() ? null : s3.kmsKeyId();
        if (kmsKeyId != null && !"aws:kms".equals(sse)) {
            throw DomainException.invalid(
                    "s3.kmsKeyId",
                    "kms-needs-aws-kms",
                    "s3.kmsKeyId is only allowed with s3.serverSideEncryption aws:kms");
        }
        return new RoutingRow(
                id,
                name,
                RoutingType.S3.name(),
                status.name(),
                baseFolder,
                createdAt,
                s3.bucket(),
                s3.region() == null ? "us-east-1" : s3.region(),
                endpoint,
                Boolean.TRUE.equals(s3.pathStyle()),
                s3.accessKeyId(),
                secretEnc,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                false,
                sse,
                kmsKeyId,
                null,
                null,
                null,
                null);
    }

    private RoutingRow sftpRow(
            UUID id,
            String name,
            RoutingSpec.Sftp sftp,
            RoutingStatus status,
            String baseFolder,
            Instant createdAt,
            RoutingRow current) {
        boolean hasPassword = sftp.password() != null && !sftp.password().isEmpty();
        boolean hasKey = sftp.privateKey() != null && !sftp.privateKey().isBlank();
        boolean keepCurrent = !hasPassword && !hasKey && current != null;
        if (hasPassword == hasKey && !keepCurrent) {
            throw DomainException.invalid(
                    "sftp.password", "exactly-one-credential", "give exactly one of sftp.password and sftp.privateKey");
        }
        if (hasKey) {
            if (KeyMaterial.isPutty(sftp.privateKey())) {
                throw DomainException.invalid(
                        "sftp.privateKey", "openssh-key", "sftp.privateKey: " + KeyMaterial.PUTTY_HINT);
            }
            try {
                KeyMaterial.parse(sftp.privateKey());
            } catch (IllegalArgumentException e) {
                throw DomainException.invalid("sftp.privateKey", "openssh-key", "sftp.privateKey is " + e.getMessage());
            }
        }
        String host;
        try {
            host = HostNames.normalise(sftp.host());
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid("sftp.host", "host", "sftp.host " + e.getMessage());
        }
        String passwordEnc = keepCurrent
                ? current.sftpPasswordEnc()
                : hasPassword ? cipher.encrypt(id, SFTP_PASSWORD, sftp.password()) : null;
        String keyEnc = keepCurrent
                ? current.sftpPrivateKeyEnc()
                : hasKey
                        ? cipher.encrypt(id, SFTP_PRIVATE_KEY, sftp.privateKey().strip())
                        : null;
        return new RoutingRow(
                id,
                name,
                RoutingType.SFTP.name(),
                status.name(),
                baseFolder,
                createdAt,
                null,
                null,
                null,
                null,
                null,
                null,
                host,
                sftp.port(),
                sftp.username(),
                passwordEnc,
                keyEnc,
                sftp.hostKeyFingerprint(),
                null,
                null,
                false,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    /**
     * An Azure Blob row. The connection string is checked (never echoed: it holds the account key), encrypted, and
     * its account name and blob endpoint are kept in clear for display. Not sent on update: the current one stays.
     */
    private RoutingRow azureRow(
            UUID id,
            String name,
            RoutingSpec.AzureBlob azure,
            RoutingStatus status,
            String baseFolder,
            Instant createdAt,
            RoutingRow current) {
        String connectionEnc;
        AzureConnectionString parsed;
        if (azure.connectionString() != null) {
            try {
                parsed = AzureConnectionString.parse(azure.connectionString());
                // Stricter than reading a stored string, so routings saved before these rules still load.
                parsed.checkUsable();
            } catch (IllegalArgumentException e) {
                throw DomainException.invalid(
                        AZURE_CONNECTION_STRING,
                        "azure-connection-string",
                        "azureBlob.connectionString " + e.getMessage());
            }
            connectionEnc = cipher.encrypt(
                    id, AZURE_CONNECTION_STRING, azure.connectionString().strip());
            return new RoutingRow(
                    id,
                    name,
                    RoutingType.AZURE_BLOB.name(),
                    status.name(),
                    baseFolder,
                    createdAt,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    false,
                    null,
                    null,
                    azure.container(),
                    parsed.accountName(),
                    parsed.blobEndpoint(),
                    connectionEnc);
        }
        if (current == null) {
            throw DomainException.invalid(
                    AZURE_CONNECTION_STRING, "required", "azureBlob.connectionString is required");
        }
        return new RoutingRow(
                id,
                name,
                RoutingType.AZURE_BLOB.name(),
                status.name(),
                baseFolder,
                createdAt,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                false,
                null,
                null,
                azure.container(),
                current.azureAccountName(),
                current.azureBlobEndpoint(),
                current.azureConnectionStringEnc());
    }
}
