package io.mailshot.delivery.service;

import io.mailshot.delivery.persistence.RoutingRepository;
import io.mailshot.delivery.persistence.RoutingRow;
import io.mailshot.delivery.rest.AzureBlobSettings;
import io.mailshot.delivery.rest.CreateRoutingRequest;
import io.mailshot.delivery.rest.RoutingView;
import io.mailshot.delivery.rest.S3Settings;
import io.mailshot.delivery.rest.SftpSettings;
import io.mailshot.delivery.rest.UpdateRoutingRequest;
import io.mailshot.kit.rest.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    public RoutingService(RoutingRepository routings, SecretCipher cipher) {
        this.routings = routings;
        this.cipher = cipher;
    }

    @Transactional
    public RoutingView create(CreateRoutingRequest request) {
        RoutingStatus status = request.status() == null ? RoutingStatus.DRAFT : request.status();
        if (status == RoutingStatus.ARCHIVED) {
            throw ApiException.invalid("status", "creatable-status", "status must be DRAFT or ACTIVE when creating");
        }
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        RoutingRow row = build(id, request.name(), request.type(), status, request.baseFolder(), now, request.s3(),
                request.sftp(), request.azureBlob(), request.pgpPublicKey(),
                Boolean.TRUE.equals(request.timestampFileNames()), null);
        if (routings.nameExists(request.name())) {
            throw ApiException.conflict("name", "unique", "a routing named " + request.name() + " already exists");
        }
        routings.insert(row);
        LOG.infof("created %s routing %s (%s) in status %s", row.type(), id, row.name(), row.status());
        return view(row);
    }

    /**
     * Replaces a routing's settings. Secrets not sent are kept (an SFTP routing switching between password and
     * key drops the other one); the type cannot change; an archived routing cannot be edited.
     */
    @Transactional
    public RoutingView update(UUID id, UpdateRoutingRequest request) {
        RoutingRow current = routings.findForUpdate(id).orElseThrow(() -> ApiException.notFound("file routing", id));
        if (RoutingStatus.ARCHIVED.name().equals(current.status())) {
            throw ApiException.conflict("status", "not-archived", "file routing " + id + " is archived");
        }
        if (!current.type().equals(request.type().name())) {
            throw ApiException.invalid("type", "immutable", "type cannot change (it is " + current.type()
                    + "): create a new routing instead");
        }
        RoutingStatus status = request.status() == null ? RoutingStatus.valueOf(current.status()) : request.status();
        if (status == RoutingStatus.ARCHIVED) {
            throw ApiException.invalid("status", "updatable-status",
                    "status must be DRAFT or ACTIVE; archive with DELETE /file-routings/" + id);
        }
        RoutingRow row = build(id, request.name(), request.type(), status, request.baseFolder(), current.createdAt(),
                request.s3() == null ? null : request.s3().toSettings(), request.sftp(),
                request.azureBlob() == null ? null : request.azureBlob().toSettings(), request.pgpPublicKey(),
                Boolean.TRUE.equals(request.timestampFileNames()), current);
        if (!current.name().equals(request.name()) && routings.nameExists(request.name())) {
            throw ApiException.conflict("name", "unique", "a routing named " + request.name() + " already exists");
        }
        routings.update(row);
        LOG.infof("updated %s routing %s (%s) in status %s", row.type(), id, row.name(), row.status());
        return view(row);
    }

    /** Validates and builds the row; {@code current} (null on create) supplies secrets that are not re-sent. */
    private RoutingRow build(UUID id, String name, RoutingType type, RoutingStatus status, String folder,
            Instant createdAt, S3Settings s3, SftpSettings sftp, AzureBlobSettings azure, String pgpPublicKey,
            boolean timestamps, RoutingRow current) {
        String baseFolder;
        try {
            baseFolder = PathRules.normaliseBaseFolder(folder);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("baseFolder", "relative-safe-path", "baseFolder " + e.getMessage());
        }
        String pgpKey = pgpPublicKey == null || pgpPublicKey.isBlank() ? null : pgpPublicKey.strip();
        String pgpFingerprint = null;
        if (pgpKey != null) {
            try {
                pgpFingerprint = PgpEncryption.parse(pgpKey).fingerprint();
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("pgpPublicKey", "openpgp-public-key", "pgpPublicKey " + e.getMessage());
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

    public RoutingView get(UUID id) {
        return view(routings.find(id).orElseThrow(() -> ApiException.notFound("file routing", id)));
    }

    public List<RoutingView> list() {
        return routings.list().stream().map(RoutingService::view).toList();
    }

    @Transactional
    public RoutingView activate(UUID id) {
        RoutingRow row = routings.find(id).orElseThrow(() -> ApiException.notFound("file routing", id));
        if (RoutingStatus.ARCHIVED.name().equals(row.status())) {
            throw ApiException.conflict("status", "not-archived", "file routing " + id + " is archived");
        }
        routings.updateStatus(id, RoutingStatus.ACTIVE.name());
        LOG.infof("activated routing %s", id);
        return get(id);
    }

    @Transactional
    public void archive(UUID id) {
        if (!routings.updateStatus(id, RoutingStatus.ARCHIVED.name())) {
            throw ApiException.notFound("file routing", id);
        }
        LOG.infof("archived routing %s", id);
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
            s3 = new Routing.S3Target(r.s3Bucket(), r.s3Region(), r.s3Endpoint(), Boolean.TRUE.equals(r.s3PathStyle()),
                    r.s3AccessKeyId(), cipher.decrypt(r.id(), S3_SECRET, r.s3SecretAccessKeyEnc()),
                    r.s3ServerSideEncryption(), r.s3KmsKeyId());
        } else if (type == RoutingType.AZURE_BLOB) {
            String connection = cipher.decrypt(r.id(), AZURE_CONNECTION_STRING, r.azureConnectionStringEnc());
            azure = new Routing.AzureTarget(connection, AzureConnectionString.parse(connection), r.azureContainer());
        } else {
            sftp = new Routing.SftpTarget(r.sftpHost(), r.sftpPort(), r.sftpUsername(),
                    r.sftpPasswordEnc() == null ? null : cipher.decrypt(r.id(), SFTP_PASSWORD, r.sftpPasswordEnc()),
                    r.sftpPrivateKeyEnc() == null ? null
                            : cipher.decrypt(r.id(), SFTP_PRIVATE_KEY, r.sftpPrivateKeyEnc()),
                    r.sftpHostKeyFingerprint());
        }
        // The key was validated when stored; parsing it again here keeps the routing self-contained.
        PgpEncryption pgp = r.pgpPublicKey() == null ? null : PgpEncryption.parse(r.pgpPublicKey());
        return new Routing(r.id(), r.name(), type, RoutingStatus.valueOf(r.status()), r.baseFolder(), pgp, s3, sftp,
                azure, r.timestampFileNames());
    }

    /** Exactly the settings block of the routing's type: s3, sftp or azureBlob. */
    private static void onlySettingsOf(RoutingType type, S3Settings s3, SftpSettings sftp, AzureBlobSettings azure) {
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
            throw ApiException.invalid(own, "required", own + " settings are required for type " + type);
        }
        for (var block : blocks.entrySet()) {
            if (!block.getKey().equals(own) && block.getValue() != null) {
                throw ApiException.invalid(block.getKey(), "forbidden", block.getKey()
                        + " settings are not allowed for type " + type);
            }
        }
    }

    private RoutingRow s3Row(UUID id, String name, S3Settings s3, RoutingStatus status, String baseFolder,
            Instant createdAt, RoutingRow current) {
        if (s3.bucket().contains("..") || s3.bucket().contains(".-") || s3.bucket().contains("-.")
                || IP_ADDRESS.matcher(s3.bucket()).matches() || s3.bucket().startsWith("xn--")) {
            throw ApiException.invalid("s3.bucket", "s3-bucket-name",
                    "s3.bucket must not contain '..', '.-' or '-.', look like an IP address or start with xn--");
        }
        String endpoint = s3.endpoint() == null || s3.endpoint().isBlank() ? null : s3.endpoint().strip();
        if (endpoint != null) {
            URI uri;
            try {
                uri = HostNames.httpEndpoint(endpoint);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("s3.endpoint", "http-url", "s3.endpoint " + e.getMessage()
                        + " (e.g. https://s3.example.com or http://[2001:db8::1]:9000)");
            }
            if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
                // The client puts the bucket (path style) or nothing in the path: a path of its own would be lost.
                throw ApiException.invalid("s3.endpoint", "http-url", "s3.endpoint must not have a path: give the"
                        + " server's address only (the bucket goes in s3.bucket)");
            }
            if (HostNames.isIpLiteral(uri.getHost()) && !Boolean.TRUE.equals(s3.pathStyle())) {
                // Virtual-hosted style puts the bucket in the host name, which an IP address cannot take.
                throw ApiException.invalid("s3.pathStyle", "path-style-for-ip", "s3.pathStyle must be true when"
                        + " s3.endpoint is an IP address: the bucket cannot go in the host name");
            }
        }
        String secretEnc;
        if (s3.secretAccessKey() != null) {
            secretEnc = cipher.encrypt(id, S3_SECRET, s3.secretAccessKey());
        } else if (current != null && current.s3SecretAccessKeyEnc() != null) {
            secretEnc = current.s3SecretAccessKeyEnc();
        } else {
            throw ApiException.invalid("s3.secretAccessKey", "required", "s3.secretAccessKey is required");
        }
        String sse = s3.serverSideEncryption() == null || s3.serverSideEncryption().isBlank() ? null
                : s3.serverSideEncryption();
        String kmsKeyId = s3.kmsKeyId() == null || s3.kmsKeyId().isBlank() ? null : s3.kmsKeyId();
        if (kmsKeyId != null && !"aws:kms".equals(sse)) {
            throw ApiException.invalid("s3.kmsKeyId", "kms-needs-aws-kms",
                    "s3.kmsKeyId is only allowed with s3.serverSideEncryption aws:kms");
        }
        return new RoutingRow(id, name, RoutingType.S3.name(), status.name(), baseFolder, createdAt, s3.bucket(),
                s3.region() == null ? "us-east-1" : s3.region(), endpoint, Boolean.TRUE.equals(s3.pathStyle()),
                s3.accessKeyId(), secretEnc, null, null, null, null, null, null, null, null, false, sse, kmsKeyId,
                null, null, null, null);
    }

    private RoutingRow sftpRow(UUID id, String name, SftpSettings sftp, RoutingStatus status, String baseFolder,
            Instant createdAt, RoutingRow current) {
        boolean hasPassword = sftp.password() != null && !sftp.password().isEmpty();
        boolean hasKey = sftp.privateKey() != null && !sftp.privateKey().isBlank();
        boolean keepCurrent = !hasPassword && !hasKey && current != null;
        if (hasPassword == hasKey && !keepCurrent) {
            throw ApiException.invalid("sftp.password", "exactly-one-credential",
                    "give exactly one of sftp.password and sftp.privateKey");
        }
        if (hasKey) {
            if (KeyMaterial.isPutty(sftp.privateKey())) {
                throw ApiException.invalid("sftp.privateKey", "openssh-key", "sftp.privateKey: " + KeyMaterial.PUTTY_HINT);
            }
            try {
                KeyMaterial.parse(sftp.privateKey());
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("sftp.privateKey", "openssh-key", "sftp.privateKey is " + e.getMessage());
            }
        }
        String host;
        try {
            host = HostNames.normalise(sftp.host());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("sftp.host", "host", "sftp.host " + e.getMessage());
        }
        String passwordEnc = keepCurrent ? current.sftpPasswordEnc()
                : hasPassword ? cipher.encrypt(id, SFTP_PASSWORD, sftp.password()) : null;
        String keyEnc = keepCurrent ? current.sftpPrivateKeyEnc()
                : hasKey ? cipher.encrypt(id, SFTP_PRIVATE_KEY, sftp.privateKey().strip()) : null;
        return new RoutingRow(id, name, RoutingType.SFTP.name(), status.name(), baseFolder, createdAt, null, null,
                null, null, null, null, host, sftp.port(), sftp.username(), passwordEnc, keyEnc,
                sftp.hostKeyFingerprint(), null, null, false, null, null, null, null, null, null);
    }

    /**
     * An Azure Blob row. The connection string is checked (never echoed: it holds the account key), encrypted, and
     * its account name and blob endpoint are kept in clear for display. Not sent on update: the current one stays.
     */
    private RoutingRow azureRow(UUID id, String name, AzureBlobSettings azure, RoutingStatus status,
            String baseFolder, Instant createdAt, RoutingRow current) {
        String connectionEnc;
        AzureConnectionString parsed;
        if (azure.connectionString() != null) {
            try {
                parsed = AzureConnectionString.parse(azure.connectionString());
                // Stricter than reading a stored string, so routings saved before these rules still load.
                parsed.checkUsable();
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid(AZURE_CONNECTION_STRING, "azure-connection-string",
                        "azureBlob.connectionString " + e.getMessage());
            }
            connectionEnc = cipher.encrypt(id, AZURE_CONNECTION_STRING, azure.connectionString().strip());
            return new RoutingRow(id, name, RoutingType.AZURE_BLOB.name(), status.name(), baseFolder, createdAt, null,
                    null, null, null, null, null, null, null, null, null, null, null, null, null, false, null, null,
                    azure.container(), parsed.accountName(), parsed.blobEndpoint(), connectionEnc);
        }
        if (current == null || current.azureConnectionStringEnc() == null) {
            throw ApiException.invalid(AZURE_CONNECTION_STRING, "required", "azureBlob.connectionString is required");
        }
        return new RoutingRow(id, name, RoutingType.AZURE_BLOB.name(), status.name(), baseFolder, createdAt, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, false, null, null,
                azure.container(), current.azureAccountName(), current.azureBlobEndpoint(),
                current.azureConnectionStringEnc());
    }

    static RoutingView view(RoutingRow r) {
        RoutingView.S3View s3 = null;
        RoutingView.SftpView sftp = null;
        RoutingView.AzureBlobView azure = null;
        if (RoutingType.S3.name().equals(r.type())) {
            s3 = new RoutingView.S3View(r.s3Bucket(), r.s3Region(), r.s3Endpoint(), Boolean.TRUE.equals(r.s3PathStyle()),
                    r.s3AccessKeyId(), r.s3SecretAccessKeyEnc() != null, r.s3ServerSideEncryption(), r.s3KmsKeyId());
        } else if (RoutingType.AZURE_BLOB.name().equals(r.type())) {
            azure = new RoutingView.AzureBlobView(r.azureAccountName(), r.azureBlobEndpoint(), r.azureContainer(),
                    r.azureConnectionStringEnc() != null);
        } else {
            sftp = new RoutingView.SftpView(r.sftpHost(), r.sftpPort(), r.sftpUsername(), r.sftpHostKeyFingerprint(),
                    r.sftpPasswordEnc() != null, r.sftpPrivateKeyEnc() != null);
        }
        return new RoutingView(r.id(), r.name(), r.type(), r.status(), r.baseFolder(), r.createdAt(), s3, sftp,
                r.pgpKeyFingerprint(), azure, r.timestampFileNames());
    }
}
