package io.mailshot.delivery.service;

import io.mailshot.delivery.persistence.RoutingRepository;
import io.mailshot.delivery.persistence.RoutingRow;
import io.mailshot.delivery.rest.CreateRoutingRequest;
import io.mailshot.delivery.rest.RoutingView;
import io.mailshot.delivery.rest.S3Settings;
import io.mailshot.delivery.rest.SftpSettings;
import io.mailshot.kit.rest.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
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
        String baseFolder;
        try {
            baseFolder = PathRules.normaliseBaseFolder(request.baseFolder());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("baseFolder", "relative-safe-path", "baseFolder " + e.getMessage());
        }
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        RoutingRow row = switch (request.type()) {
            case S3 -> s3Row(id, request, status, baseFolder, now);
            case SFTP -> sftpRow(id, request, status, baseFolder, now);
        };
        if (routings.nameExists(request.name())) {
            throw ApiException.conflict("name", "unique", "a routing named " + request.name() + " already exists");
        }
        routings.insert(row);
        LOG.infof("created %s routing %s (%s) in status %s", row.type(), id, row.name(), row.status());
        return view(row);
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
        if (type == RoutingType.S3) {
            s3 = new Routing.S3Target(r.s3Bucket(), r.s3Region(), r.s3Endpoint(), Boolean.TRUE.equals(r.s3PathStyle()),
                    r.s3AccessKeyId(), cipher.decrypt(r.id(), S3_SECRET, r.s3SecretAccessKeyEnc()));
        } else {
            sftp = new Routing.SftpTarget(r.sftpHost(), r.sftpPort(), r.sftpUsername(),
                    r.sftpPasswordEnc() == null ? null : cipher.decrypt(r.id(), SFTP_PASSWORD, r.sftpPasswordEnc()),
                    r.sftpPrivateKeyEnc() == null ? null
                            : cipher.decrypt(r.id(), SFTP_PRIVATE_KEY, r.sftpPrivateKeyEnc()),
                    r.sftpHostKeyFingerprint());
        }
        return new Routing(r.id(), r.name(), type, RoutingStatus.valueOf(r.status()), r.baseFolder(), s3, sftp);
    }

    private RoutingRow s3Row(UUID id, CreateRoutingRequest request, RoutingStatus status, String baseFolder,
            Instant now) {
        S3Settings s3 = request.s3();
        if (s3 == null) {
            throw ApiException.invalid("s3", "required", "s3 settings are required for type S3");
        }
        if (request.sftp() != null) {
            throw ApiException.invalid("sftp", "forbidden", "sftp settings are not allowed for type S3");
        }
        if (s3.bucket().contains("..") || s3.bucket().contains(".-") || s3.bucket().contains("-.")
                || IP_ADDRESS.matcher(s3.bucket()).matches() || s3.bucket().startsWith("xn--")) {
            throw ApiException.invalid("s3.bucket", "s3-bucket-name",
                    "s3.bucket must not contain '..', '.-' or '-.', look like an IP address or start with xn--");
        }
        String endpoint = s3.endpoint() == null || s3.endpoint().isBlank() ? null : s3.endpoint().strip();
        if (endpoint != null) {
            try {
                URI uri = new URI(endpoint);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                        || uri.getUserInfo() != null) {
                    throw new URISyntaxException(endpoint, "not an http(s) URL");
                }
            } catch (URISyntaxException e) {
                throw ApiException.invalid("s3.endpoint", "http-url",
                        "s3.endpoint must be an http:// or https:// URL without credentials");
            }
        }
        return new RoutingRow(id, request.name(), RoutingType.S3.name(), status.name(), baseFolder, now, s3.bucket(),
                s3.region() == null ? "us-east-1" : s3.region(), endpoint, Boolean.TRUE.equals(s3.pathStyle()),
                s3.accessKeyId(), cipher.encrypt(id, S3_SECRET, s3.secretAccessKey()), null, null, null, null, null,
                null);
    }

    private RoutingRow sftpRow(UUID id, CreateRoutingRequest request, RoutingStatus status, String baseFolder,
            Instant now) {
        SftpSettings sftp = request.sftp();
        if (sftp == null) {
            throw ApiException.invalid("sftp", "required", "sftp settings are required for type SFTP");
        }
        if (request.s3() != null) {
            throw ApiException.invalid("s3", "forbidden", "s3 settings are not allowed for type SFTP");
        }
        boolean hasPassword = sftp.password() != null && !sftp.password().isEmpty();
        boolean hasKey = sftp.privateKey() != null && !sftp.privateKey().isBlank();
        if (hasPassword == hasKey) {
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
        return new RoutingRow(id, request.name(), RoutingType.SFTP.name(), status.name(), baseFolder, now, null, null,
                null, null, null, null, sftp.host(), sftp.port(), sftp.username(),
                hasPassword ? cipher.encrypt(id, SFTP_PASSWORD, sftp.password()) : null,
                hasKey ? cipher.encrypt(id, SFTP_PRIVATE_KEY, sftp.privateKey().strip()) : null,
                sftp.hostKeyFingerprint());
    }

    static RoutingView view(RoutingRow r) {
        RoutingView.S3View s3 = null;
        RoutingView.SftpView sftp = null;
        if (RoutingType.S3.name().equals(r.type())) {
            s3 = new RoutingView.S3View(r.s3Bucket(), r.s3Region(), r.s3Endpoint(), Boolean.TRUE.equals(r.s3PathStyle()),
                    r.s3AccessKeyId(), r.s3SecretAccessKeyEnc() != null);
        } else {
            sftp = new RoutingView.SftpView(r.sftpHost(), r.sftpPort(), r.sftpUsername(), r.sftpHostKeyFingerprint(),
                    r.sftpPasswordEnc() != null, r.sftpPrivateKeyEnc() != null);
        }
        return new RoutingView(r.id(), r.name(), r.type(), r.status(), r.baseFolder(), r.createdAt(), s3, sftp);
    }
}
