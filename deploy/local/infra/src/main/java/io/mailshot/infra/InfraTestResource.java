package io.mailshot.infra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Starts the real local infrastructure for a service's {@code @QuarkusTest}s and points the service at it.
 *
 * <p>Init arg {@code database}: the service's database name. Besides the service's own keys, the
 * returned config carries {@code mailshot.test.*} keys so tests can reach the servers with
 * independent clients.
 */
public class InfraTestResource implements QuarkusTestResourceLifecycleManager {

    private static LocalInfra shared;
    private String database = "mailshot";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public synchronized Map<String, String> start() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "infra-");
                shared = LocalInfra.start(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Map<String, String> config = new LinkedHashMap<>(shared.serviceConfig(database));
        config.put("mailshot.test.s3.endpoint", shared.s3().endpoint());
        config.put("mailshot.test.sftp.host", shared.sftp().host());
        config.put("mailshot.test.sftp.port", String.valueOf(shared.sftp().port()));
        config.put("mailshot.test.sftp.user", SftpServer.USER);
        config.put("mailshot.test.sftp.password", SftpServer.PASSWORD);
        config.put("mailshot.test.sftp.fingerprint", shared.sftp().hostKeyFingerprint());
        config.put("mailshot.test.sftp.root", shared.sftp().root().toString());
        return config;
    }

    /** The running infrastructure, for tests that need to reach a server directly. */
    public static synchronized LocalInfra infra() {
        return shared;
    }

    @Override
    public synchronized void stop() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }
}
