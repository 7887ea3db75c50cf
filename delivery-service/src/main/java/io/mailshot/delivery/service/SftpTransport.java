package io.mailshot.delivery.service;

import io.mailshot.delivery.config.DeliveryConfig;
import io.mailshot.events.DeliveredFile;
import io.mailshot.events.StagedFile;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.jboss.logging.Logger;

/**
 * Delivers to an SFTP server whose host key is pinned by fingerprint. Each file is written under a hidden
 * temporary name and renamed over the final name only once complete, so a receiver never sees a partial file.
 */
@ApplicationScoped
public class SftpTransport {

    private static final Logger LOG = Logger.getLogger(SftpTransport.class);
    private static final String POSIX_RENAME = "posix-rename@openssh.com";

    private final StagingStore staging;
    private final DeliveryConfig config;

    public SftpTransport(StagingStore staging, DeliveryConfig config) {
        this.staging = staging;
        this.config = config;
    }

    public List<DeliveredFile> deliver(Routing routing, List<StagedFile> files) throws DeliveryException {
        Routing.SftpTarget target = routing.sftp();
        Duration timeout = config.sftpTimeout();
        AtomicReference<String> offeredKey = new AtomicReference<>();
        SshClient client = SshClient.setUpDefaultClient();
        // Only the pinned host key is ever accepted: there is no "accept all" or known_hosts fallback.
        client.setServerKeyVerifier((session, address, key) -> {
            String fingerprint = fingerprint(key);
            offeredKey.set(fingerprint);
            return sameFingerprint(target.hostKeyFingerprint(), fingerprint);
        });
        // Ignore ~/.ssh/config and ~/.ssh keys of the account running the service.
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.start();
        try (ClientSession session = connect(client, target, timeout)) {
            if (target.password() != null) {
                session.addPasswordIdentity(target.password());
            } else {
                for (KeyPair pair : KeyMaterial.parse(target.privateKey())) {
                    session.addPublicKeyIdentity(pair);
                }
            }
            authenticate(session, target, timeout, offeredKey);
            try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
                ensureFolders(sftp, routing.baseFolder());
                List<DeliveredFile> delivered = new ArrayList<>();
                for (StagedFile file : files) {
                    delivered.add(write(sftp, routing, file));
                }
                return delivered;
            }
        } catch (DeliveryException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw DeliveryException.permanent("the routing's private key cannot be used: " + e.getMessage());
        } catch (SftpException e) {
            throw classify(e, routing.destination());
        } catch (IOException e) {
            DeliveryException mismatch = hostKeyMismatch(target, offeredKey.get());
            if (mismatch != null) {
                throw mismatch;
            }
            throw DeliveryException.transientFailure("SFTP I/O error with " + target.host() + ":" + target.port()
                    + ": " + e.getMessage());
        } finally {
            try {
                client.stop();
            } catch (RuntimeException e) {
                LOG.debugf("closing the SSH client: %s", e.getMessage());
            }
        }
    }

    private static ClientSession connect(SshClient client, Routing.SftpTarget target, Duration timeout)
            throws DeliveryException {
        try {
            return client.connect(target.username(), target.host(), target.port()).verify(timeout).getSession();
        } catch (IOException e) {
            throw DeliveryException.transientFailure("cannot connect to " + target.host() + ":" + target.port()
                    + ": " + e.getMessage());
        }
    }

    private static void authenticate(ClientSession session, Routing.SftpTarget target, Duration timeout,
            AtomicReference<String> offeredKey) throws DeliveryException {
        try {
            session.auth().verify(timeout);
        } catch (IOException e) {
            DeliveryException mismatch = hostKeyMismatch(target, offeredKey.get());
            if (mismatch != null) {
                throw mismatch;
            }
            String message = String.valueOf(e.getMessage());
            // MINA reports refused credentials as "No more authentication methods available".
            if (message.contains("No more authentication methods")) {
                throw DeliveryException.permanent("authentication refused for user " + target.username() + " at "
                        + target.host() + ":" + target.port());
            }
            throw DeliveryException.transientFailure("SFTP authentication did not complete: " + message);
        }
    }

    private DeliveredFile write(SftpClient sftp, Routing routing, StagedFile file) throws IOException,
            DeliveryException {
        String finalPath = PathRules.join(routing.baseFolder(), file.name());
        String tempPath = PathRules.join(routing.baseFolder(), "." + file.name() + "." + UUID.randomUUID() + ".part");
        boolean renamed = false;
        try {
            try (HashingInputStream in = staging.open(file)) {
                try (OutputStream out = sftp.write(tempPath, SftpClient.OpenMode.Write, SftpClient.OpenMode.Create,
                        SftpClient.OpenMode.Truncate)) {
                    in.transferTo(out);
                }
                StagingStore.verify(file, in);
            }
            rename(sftp, tempPath, finalPath);
            renamed = true;
            long size = sftp.stat(finalPath).getSize();
            if (size != file.bytes()) {
                throw DeliveryException.transientFailure(finalPath + " has " + size + " bytes after upload, expected "
                        + file.bytes());
            }
            LOG.infof("wrote %s to %s (%d bytes)", file.name(), routing.destination(), size);
            return new DeliveredFile(file.name(), location(routing, finalPath), size, file.sha256());
        } finally {
            if (!renamed) {
                removeQuietly(sftp, tempPath);
            }
        }
    }

    /** Atomic replace: posix-rename when offered, else SFTP v5+ overwrite rename, else delete then rename. */
    private static void rename(SftpClient sftp, String from, String to) throws IOException {
        if (sftp.getServerExtensions().containsKey(POSIX_RENAME)) {
            sftp.getExtension(OpenSSHPosixRenameExtension.class).posixRename(from, to);
        } else if (sftp.getVersion() >= SftpConstants.SFTP_V5) {
            sftp.rename(from, to, SftpClient.CopyMode.Overwrite, SftpClient.CopyMode.Atomic);
        } else {
            removeQuietly(sftp, to);
            sftp.rename(from, to);
        }
    }

    private static void ensureFolders(SftpClient sftp, String baseFolder) throws IOException {
        if (baseFolder == null) {
            return;
        }
        String path = null;
        for (String segment : baseFolder.split("/")) {
            path = path == null ? segment : path + "/" + segment;
            try {
                sftp.stat(path);
            } catch (SftpException e) {
                if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) {
                    throw e;
                }
                try {
                    sftp.mkdir(path);
                } catch (SftpException raced) {
                    // Another delivery may have created it meanwhile; fine if it exists now.
                    sftp.stat(path);
                }
            }
        }
    }

    private static void removeQuietly(SftpClient sftp, String path) {
        try {
            sftp.remove(path);
        } catch (IOException e) {
            LOG.debugf("could not remove %s: %s", path, e.getMessage());
        }
    }

    private static DeliveryException classify(SftpException e, String destination) {
        return switch (e.getStatus()) {
            case SftpConstants.SSH_FX_PERMISSION_DENIED, SftpConstants.SSH_FX_WRITE_PROTECT ->
                    DeliveryException.permanent("permission denied writing to " + destination);
            case SftpConstants.SSH_FX_NO_SPACE_ON_FILESYSTEM, SftpConstants.SSH_FX_QUOTA_EXCEEDED ->
                    DeliveryException.transientFailure("no space left at " + destination);
            default -> DeliveryException.transientFailure("SFTP error at " + destination + ": " + e.getMessage());
        };
    }

    private static DeliveryException hostKeyMismatch(Routing.SftpTarget target, String offered) {
        if (offered == null || sameFingerprint(target.hostKeyFingerprint(), offered)) {
            return null;
        }
        return DeliveryException.permanent("host key mismatch: expected " + target.hostKeyFingerprint() + ", got "
                + offered);
    }

    static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(key);
    }

    /** OpenSSH prints SHA256 fingerprints without base64 padding; compare them padding-insensitively. */
    static boolean sameFingerprint(String pinned, String offered) {
        return pinned != null && offered != null && strip(pinned).equals(strip(offered));
    }

    private static String strip(String fingerprint) {
        return fingerprint.endsWith("=") ? fingerprint.substring(0, fingerprint.length() - 1) : fingerprint;
    }

    private static String location(Routing routing, String path) {
        Routing.SftpTarget t = routing.sftp();
        return "sftp://" + t.username() + "@" + t.host() + ":" + t.port() + "/" + path;
    }
}
