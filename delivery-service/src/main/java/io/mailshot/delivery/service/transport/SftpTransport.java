package io.mailshot.delivery.service.transport;

import static io.mailshot.delivery.service.routing.ConnectionSteps.CONNECT;
import static io.mailshot.delivery.service.routing.ConnectionSteps.DELETE;
import static io.mailshot.delivery.service.routing.ConnectionSteps.HOST_KEY;
import static io.mailshot.delivery.service.routing.ConnectionSteps.KEY_EXCHANGE;
import static io.mailshot.delivery.service.routing.ConnectionSteps.LOGIN;
import static io.mailshot.delivery.service.routing.ConnectionSteps.WRITE;

import io.mailshot.delivery.client.StagingBucket;
import io.mailshot.delivery.config.DeliveryConfig;
import io.mailshot.delivery.service.crypto.KeyMaterial;
import io.mailshot.delivery.service.delivery.DeliveryException;
import io.mailshot.delivery.service.delivery.DeliveryJob;
import io.mailshot.delivery.service.egress.EgressGuard;
import io.mailshot.delivery.service.routing.ConnectionSteps;
import io.mailshot.delivery.service.routing.Destinations;
import io.mailshot.delivery.service.routing.HostNames;
import io.mailshot.delivery.service.routing.Routing;
import io.mailshot.delivery.service.routing.RoutingType;
import io.mailshot.events.DeliveredFile;
import io.mailshot.events.StagedFile;
import io.mailshot.events.files.PathRules;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
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
 * Delivers to an SFTP server whose host key is pinned by fingerprint. Every file is first written under a
 * hidden temporary name (stable per delivery, so a retry overwrites its own leftover); only when all parts are
 * written and verified are they renamed to their final names, in order; the manifest, then the trigger file,
 * are written last. Missing folders (the base folder and the run's folder) are created.
 */
@ApplicationScoped
public class SftpTransport implements Transport {

    private static final Logger LOG = Logger.getLogger(SftpTransport.class);
    private static final String POSIX_RENAME = "posix-rename@openssh.com";

    private final StagingBucket staging;
    private final DeliveryConfig config;
    private final EgressGuard egress;

    public SftpTransport(StagingBucket staging, DeliveryConfig config, EgressGuard egress) {
        this.staging = staging;
        this.config = config;
        this.egress = egress;
    }

    /** For the host-key helper: 422 naming {@code field} when the egress policy refuses the host, before any scan. */
    public void checkEgress(String field, String host) {
        Destinations.checkForApi(egress, field, HostNames.forSocket(host));
    }

    /**
     * The address to open: the host resolved and checked against the egress policy just now, so the connection
     * goes to the address that was checked (the SSH client is given it, not the name to resolve again).
     */
    private InetSocketAddress checkedAddress(String host, int port) throws DeliveryException {
        List<InetAddress> addresses = Destinations.checkForDelivery(egress, HostNames.forSocket(host));
        return new InetSocketAddress(addresses.get(0), port);
    }

    @Override
    public RoutingType type() {
        return RoutingType.SFTP;
    }

    @Override
    public List<String> testSteps() {
        return List.of(CONNECT, KEY_EXCHANGE, HOST_KEY, LOGIN, WRITE, DELETE);
    }

    @Override
    public List<DeliveredFile> deliver(DeliveryJob job) throws DeliveryException {
        Routing routing = job.routing();
        List<Pending> pending = new ArrayList<>();
        try (Session session = connect(routing.sftp())) {
            session.authenticate();
            SftpClient sftp = session.sftp();
            try {
                // The base folder and the run's folder are created when missing.
                ensureFolders(sftp, job.folder());
                removeStaleTemporaries(sftp, job);
                for (StagedFile file : job.parts()) {
                    pending.add(writeTemporary(sftp, job, file));
                }
                job.checkNotCancelled();
                List<DeliveredFile> delivered = new ArrayList<>();
                while (!pending.isEmpty()) {
                    delivered.add(publish(sftp, routing, pending.get(0)));
                    pending.remove(0);
                }
                // The manifest, then the trigger file: each one only once everything before it is published.
                for (StagedFile file : job.tail()) {
                    pending.add(writeTemporary(sftp, job, file));
                    delivered.add(publish(sftp, routing, pending.get(0)));
                    pending.remove(0);
                }
                return delivered;
            } finally {
                for (Pending p : pending) {
                    removeQuietly(sftp, p.tempPath());
                }
            }
        } catch (DeliveryException e) {
            throw e;
        } catch (SftpException e) {
            throw classify(e, routing.destination());
        } catch (IOException e) {
            throw DeliveryException.transientFailure("SFTP I/O error with "
                    + HostNames.withPort(routing.sftp().host(), routing.sftp().port()) + ": " + e.getMessage());
        }
    }

    /** A file written and verified under its temporary name, not yet visible under its final name. */
    private record Pending(String name, String tempPath, String finalPath, DeliveryJob.Written written) {}

    private Pending writeTemporary(SftpClient sftp, DeliveryJob job, StagedFile file)
            throws IOException, DeliveryException {
        String name = job.deliveredName(file);
        String finalPath = job.path(name);
        String tempPath = job.path(temporaryName(name, job));
        DeliveryJob.Written written;
        boolean ok = false;
        try {
            try (OutputStream out = sftp.write(
                    tempPath, SftpClient.OpenMode.Write, SftpClient.OpenMode.Create, SftpClient.OpenMode.Truncate)) {
                written = job.copy(staging, file, out);
            }
            long size = sftp.stat(tempPath).getSize();
            if (size != written.bytes()) {
                throw DeliveryException.transientFailure(
                        tempPath + " has " + size + " bytes after writing, expected " + written.bytes());
            }
            ok = true;
        } finally {
            if (!ok) {
                removeQuietly(sftp, tempPath);
            }
        }
        return new Pending(name, tempPath, finalPath, written);
    }

    private DeliveredFile publish(SftpClient sftp, Routing routing, Pending p) throws IOException, DeliveryException {
        rename(sftp, p.tempPath(), p.finalPath());
        long size = sftp.stat(p.finalPath()).getSize();
        if (size != p.written().bytes()) {
            removeQuietly(sftp, p.finalPath());
            throw DeliveryException.transientFailure(p.finalPath() + " has " + size + " bytes after upload, expected "
                    + p.written().bytes());
        }
        LOG.infof("published %s at %s (%d bytes)", p.finalPath(), routing.destination(), size);
        return new DeliveredFile(
                p.name(), location(routing, p.finalPath()), size, p.written().sha256());
    }

    /** {@code .<name>.<deliveryId>.part}: hidden, and the same for every attempt of one delivery. */
    static String temporaryName(String name, DeliveryJob job) {
        return "." + name + "." + job.deliveryId() + ".part";
    }

    /** Temporaries of these names left by an interrupted delivery (a crash, a kill) are removed first. */
    private static void removeStaleTemporaries(SftpClient sftp, DeliveryJob job) throws IOException {
        String folder = job.folder() == null ? "." : job.folder();
        List<Pattern> stale = new ArrayList<>();
        for (StagedFile file : job.inOrder()) {
            stale.add(Pattern.compile("^\\." + Pattern.quote(job.deliveredName(file))
                    + "\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.part$"));
        }
        for (SftpClient.DirEntry entry : sftp.readDir(folder)) {
            String name = entry.getFilename();
            if (stale.stream().anyMatch(p -> p.matcher(name).matches())) {
                LOG.infof("removing a temporary file left by an interrupted delivery: %s", name);
                removeQuietly(sftp, job.path(name));
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

    static void ensureFolders(SftpClient sftp, String baseFolder) throws IOException {
        if (baseFolder == null) {
            return;
        }
        String path = null;
        for (String segment : baseFolder.split("/")) {
            path = path == null ? segment : path + "/" + segment;
            SftpClient.Attributes attributes;
            try {
                attributes = sftp.stat(path);
            } catch (SftpException e) {
                if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) {
                    throw e;
                }
                try {
                    sftp.mkdir(path);
                } catch (SftpException raced) {
                    // Another delivery may have created it meanwhile; fine if it exists now.
                    try {
                        sftp.stat(path);
                    } catch (SftpException missing) {
                        throw raced;
                    }
                }
                continue;
            }
            if (!attributes.isDirectory()) {
                throw new SftpException(SftpConstants.SSH_FX_NOT_A_DIRECTORY, path + " is a file, not a folder");
            }
        }
    }

    static void removeQuietly(SftpClient sftp, String path) {
        try {
            sftp.remove(path);
        } catch (IOException e) {
            LOG.debugf("could not remove %s: %s", path, e.getMessage());
        }
    }

    static DeliveryException classify(SftpException e, String destination) {
        return switch (e.getStatus()) {
            case SftpConstants.SSH_FX_PERMISSION_DENIED, SftpConstants.SSH_FX_WRITE_PROTECT ->
                DeliveryException.permanent("permission denied writing to " + destination);
            case SftpConstants.SSH_FX_NOT_A_DIRECTORY, SftpConstants.SSH_FX_FILE_IS_A_DIRECTORY ->
                DeliveryException.permanent("cannot write to " + destination + ": " + e.getMessage());
            case SftpConstants.SSH_FX_NO_SPACE_ON_FILESYSTEM, SftpConstants.SSH_FX_QUOTA_EXCEEDED ->
                DeliveryException.transientFailure("no space left at " + destination);
            default -> DeliveryException.transientFailure("SFTP error at " + destination + ": " + e.getMessage());
        };
    }

    /** Opens an SSH connection that accepts only the pinned host key; authenticate before use. */
    Session connect(Routing.SftpTarget target) throws DeliveryException {
        Duration timeout = config.sftpTimeout();
        InetSocketAddress checked = checkedAddress(target.host(), target.port());
        AtomicReference<PublicKey> offered = new AtomicReference<>();
        SshClient client = SshClient.setUpDefaultClient();
        // Only the pinned host key is ever accepted: there is no "accept all" or known_hosts fallback.
        client.setServerKeyVerifier((s, address, key) -> {
            offered.set(key);
            return sameFingerprint(target.hostKeyFingerprint(), fingerprint(key));
        });
        // Ignore ~/.ssh/config and ~/.ssh keys of the account running the service.
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.start();
        try {
            ClientSession session =
                    client.connect(target.username(), checked).verify(timeout).getSession();
            return new Session(client, session, target, timeout, offered);
        } catch (IOException e) {
            client.stop();
            throw DeliveryException.transientFailure(
                    "cannot connect to " + HostNames.withPort(target.host(), target.port()) + ": " + timeoutWords(e));
        } catch (RuntimeException e) {
            // A host value the SSH client cannot use (a routing saved before hosts were checked): no retry helps.
            client.stop();
            throw DeliveryException.permanent("cannot connect to " + HostNames.withPort(target.host(), target.port())
                    + ": the host cannot be used (" + e.getMessage() + ")");
        }
    }

    /**
     * The server's host key, without authenticating: the key exchange is run and the connection is then refused,
     * so nothing is sent but the protocol greeting.
     */
    public PublicKey hostKey(String host, int port) throws DeliveryException {
        Duration timeout = config.sftpTimeout();
        InetSocketAddress checked = checkedAddress(host, port);
        AtomicReference<PublicKey> offered = new AtomicReference<>();
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier((s, address, key) -> {
            offered.set(key);
            return false;
        });
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.start();
        try (ClientSession session = client.connect("mailshot-host-key-probe", checked)
                .verify(timeout)
                .getSession()) {
            session.waitFor(
                    EnumSet.of(ClientSession.ClientSessionEvent.CLOSED, ClientSession.ClientSessionEvent.WAIT_AUTH),
                    timeout);
        } catch (IOException e) {
            if (offered.get() == null) {
                throw DeliveryException.transientFailure(
                        "cannot connect to " + HostNames.withPort(host, port) + ": " + timeoutWords(e));
            }
        } finally {
            client.stop();
        }
        if (offered.get() == null) {
            throw DeliveryException.transientFailure(
                    HostNames.withPort(host, port) + " did not present an SSH host key (is it the server's SSH port?)");
        }
        return offered.get();
    }

    /**
     * What a key exchange showed: the server's SSH identification (null when it sent none, e.g. a web server), the
     * host key it presented (null when none), whether the exchange completed, whether waiting timed out.
     */
    record KeyExchange(String serverVersion, PublicKey hostKey, boolean completed, boolean timedOut) {}

    /** An SSH session to one pinned server; closing it stops the client. */
    final class Session implements AutoCloseable {
        private final SshClient client;
        private final ClientSession session;
        private final Routing.SftpTarget target;
        private final Duration timeout;
        private final AtomicReference<PublicKey> offered;
        private SftpClient sftp;

        private Session(
                SshClient client,
                ClientSession session,
                Routing.SftpTarget target,
                Duration timeout,
                AtomicReference<PublicKey> offered) {
            this.client = client;
            this.session = session;
            this.target = target;
            this.timeout = timeout;
            this.offered = offered;
        }

        /** Logs in with the routing's password or key; refused credentials and a wrong host key are permanent. */
        void authenticate() throws DeliveryException {
            try {
                if (target.password() != null) {
                    session.addPasswordIdentity(target.password());
                } else {
                    for (KeyPair pair : KeyMaterial.parse(target.privateKey())) {
                        session.addPublicKeyIdentity(pair);
                    }
                }
            } catch (IllegalArgumentException e) {
                throw DeliveryException.permanent("the routing's private key cannot be used: " + e.getMessage());
            }
            try {
                session.auth().verify(timeout);
            } catch (IOException e) {
                DeliveryException mismatch = hostKeyMismatch();
                if (mismatch != null) {
                    throw mismatch;
                }
                String message = String.valueOf(e.getMessage());
                // MINA reports refused credentials as "No more authentication methods available".
                if (message.contains("No more authentication methods")) {
                    throw DeliveryException.permanent("authentication refused for user " + target.username() + " at "
                            + HostNames.withPort(target.host(), target.port()));
                }
                throw DeliveryException.transientFailure("SFTP authentication did not complete: " + timeoutWords(e));
            }
        }

        /**
         * Waits (up to the SFTP time-out) for the key exchange to complete or the connection to close, and says
         * what happened: whether the server sent an SSH identification, which host key it presented, whether the
         * exchange completed. Authentication has not started.
         */
        KeyExchange keyExchange() {
            Set<ClientSession.ClientSessionEvent> events = session.waitFor(
                    EnumSet.of(
                            ClientSession.ClientSessionEvent.WAIT_AUTH,
                            ClientSession.ClientSessionEvent.AUTHED,
                            ClientSession.ClientSessionEvent.CLOSED),
                    timeout);
            boolean completed = events.contains(ClientSession.ClientSessionEvent.WAIT_AUTH)
                    || events.contains(ClientSession.ClientSessionEvent.AUTHED);
            return new KeyExchange(
                    session.getServerVersion(),
                    offered.get(),
                    completed,
                    events.contains(ClientSession.ClientSessionEvent.TIMEOUT));
        }

        /** Non-null when the server offered a key other than the pinned one. */
        DeliveryException hostKeyMismatch() {
            PublicKey key = offered.get();
            if (key == null || sameFingerprint(target.hostKeyFingerprint(), fingerprint(key))) {
                return null;
            }
            return DeliveryException.permanent(
                    "host key mismatch: expected " + target.hostKeyFingerprint() + ", got " + fingerprint(key));
        }

        SftpClient sftp() throws IOException {
            if (sftp == null) {
                sftp = SftpClientFactory.instance().createSftpClient(session);
            }
            return sftp;
        }

        @Override
        public void close() {
            try {
                if (sftp != null) {
                    sftp.close();
                }
                session.close();
            } catch (IOException | RuntimeException e) {
                LOG.debugf("closing the SFTP session: %s", e.getMessage());
            } finally {
                try {
                    client.stop();
                } catch (RuntimeException e) {
                    LOG.debugf("closing the SSH client: %s", e.getMessage());
                }
            }
        }
    }

    static String timeoutWords(IOException e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof SocketTimeoutException
                || message.toLowerCase().contains("timeout")
                || message.toLowerCase().contains("timed out")) {
            return "time-out (" + message + ")";
        }
        return message;
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
        return "sftp://" + t.username() + "@" + HostNames.withPort(t.host(), t.port()) + "/" + path;
    }

    @Override
    public void test(Routing routing, ConnectionSteps steps) {
        byte[] probe = ConnectionSteps.probe();
        Routing.SftpTarget target = routing.sftp();
        String where = HostNames.withPort(target.host(), target.port());
        steps.start(CONNECT);
        Session session;
        try {
            session = connect(target);
        } catch (DeliveryException e) {
            steps.fail(e.getMessage());
            return;
        }
        try (session) {
            steps.done("opened a TCP connection to " + where);

            steps.start(KEY_EXCHANGE);
            KeyExchange kex = session.keyExchange();
            if (kex.serverVersion() == null) {
                steps.fail("no SSH server answered at " + where + ": "
                        + (kex.timedOut()
                                ? "it sent nothing within the time-out"
                                : "the connection closed without an SSH identification")
                        + " (is this the server's SSH port?)");
                return;
            }
            if (kex.hostKey() == null) {
                steps.fail(printable(kex.serverVersion()) + " answered, but the key exchange did not get as far as its"
                        + " host key (" + (kex.timedOut() ? "time-out" : "the connection closed")
                        + "; no algorithms in common?)");
                return;
            }
            String offered = fingerprint(kex.hostKey());
            steps.done("key exchange with " + printable(kex.serverVersion()) + ": it presented a "
                    + KeyUtils.getKeyType(kex.hostKey()) + " host key, " + offered);

            steps.start(HOST_KEY);
            if (!sameFingerprint(target.hostKeyFingerprint(), offered)) {
                steps.fail("host key mismatch: expected " + target.hostKeyFingerprint() + ", got " + offered
                        + " (refused: nothing was sent to this server)");
                return;
            }
            if (!kex.completed()) {
                steps.fail("the host key matches the pinned fingerprint, but the key exchange did not complete ("
                        + (kex.timedOut() ? "time-out" : "the connection closed") + ")");
                return;
            }
            steps.done("the host key matches the pinned fingerprint " + target.hostKeyFingerprint());

            steps.start(LOGIN);
            if (routing.missingSecret() != null) {
                steps.fail(ConnectionSteps.missingSecret(routing));
                return;
            }
            try {
                session.authenticate();
            } catch (DeliveryException e) {
                steps.fail(e.getMessage());
                return;
            }
            steps.done("logged in as " + target.username());

            steps.start(WRITE);
            String path = PathRules.join(routing.baseFolder(), ConnectionSteps.PROBE_PREFIX + UUID.randomUUID());
            SftpClient client;
            boolean created = false;
            try {
                client = session.sftp();
                ensureFolders(client, routing.baseFolder());
                try (OutputStream out = client.write(
                        path, SftpClient.OpenMode.Write, SftpClient.OpenMode.Create, SftpClient.OpenMode.Truncate)) {
                    created = true;
                    out.write(probe);
                }
                byte[] back;
                try (InputStream in = client.read(path)) {
                    back = in.readNBytes(probe.length + 1);
                }
                if (!Arrays.equals(probe, back)) {
                    steps.fail("wrote " + path + ", but it reads back " + back.length + " bytes that differ from the "
                            + probe.length + " written");
                } else {
                    steps.done("wrote " + path + " (" + probe.length + " bytes, read back identical)");
                }
            } catch (SftpException e) {
                steps.fail(classify(e, routing.destination()).getMessage());
                if (!created) {
                    return;
                }
                client = null;
            } catch (IOException e) {
                steps.fail("writing " + path + " failed: " + timeoutWords(e));
                if (!created) {
                    return;
                }
                client = null;
            }
            // A probe that was created is removed, and that is reported, even when the write step failed.
            steps.start(DELETE);
            try {
                (client == null ? session.sftp() : client).remove(path);
                steps.done("removed " + path);
            } catch (IOException e) {
                steps.fail("could not remove " + path + ": " + e.getMessage());
            }
        }
    }

    /** A server's identification string is the server's choice: keep it short and printable. */
    private static String printable(String text) {
        String clean = text.replaceAll("[^\\x20-\\x7E]", "?");
        return clean.length() > 80 ? clean.substring(0, 80) + "…" : clean;
    }
}
