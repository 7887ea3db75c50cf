package io.mailshot.runtime.sftp;

import io.mailshot.runtime.WatchedMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * A real SFTP server (Apache MINA SSHD) for local runs and tests.
 *
 * <p>The host key is persisted, so its fingerprint stays stable across restarts and can be pinned by
 * a file routing. Users are jailed in the root folder. Password auth, and public-key auth when an
 * authorized_keys file is given.
 */
public final class SftpServerMain {

    private SftpServerMain() {}

    public static void main(String[] args) throws Exception {
        WatchedMain.watchParent();
        Map<String, String> options = parse(args);
        int port = Integer.parseInt(options.getOrDefault("port", "0"));
        Path root = Path.of(required(options, "root"));
        String user = required(options, "user");
        String password = required(options, "password");
        Path hostKey = Path.of(required(options, "host-key"));
        Files.createDirectories(root);

        SshServer server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(port);
        SimpleGeneratorHostKeyProvider keys = new SimpleGeneratorHostKeyProvider(hostKey);
        keys.setAlgorithm(KeyUtils.EC_ALGORITHM);
        keys.setKeySize(256);
        server.setKeyPairProvider(keys);
        server.setPasswordAuthenticator((u, p, session) -> user.equals(u) && password.equals(p));
        String authorizedKeys = options.get("authorized-keys");
        if (authorizedKeys != null) {
            AuthorizedKeysAuthenticator allowed = new AuthorizedKeysAuthenticator(Path.of(authorizedKeys));
            server.setPublickeyAuthenticator(
                    (u, key, session) -> user.equals(u) && allowed.authenticate(u, key, session));
        }
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        server.setFileSystemFactory(new VirtualFileSystemFactory(root.toAbsolutePath()));
        server.start();

        KeyPair pair = keys.loadKeys(null).iterator().next();
        System.out.println("MAILSHOT-READY port=" + server.getPort() + " fingerprint="
                + KeyUtils.getFingerPrint(pair.getPublic()));
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop(true);
            } catch (Exception e) {
                // Exiting anyway.
            }
        }));
        new CountDownLatch(1).await();
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }

    static String required(Map<String, String> options, String key) {
        String value = options.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + key);
        }
        return value;
    }
}
