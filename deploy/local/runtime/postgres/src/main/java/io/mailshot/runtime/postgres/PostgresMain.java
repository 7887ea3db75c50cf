package io.mailshot.runtime.postgres;

import io.mailshot.runtime.WatchedMain;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A real PostgreSQL server from zonky's embedded binaries, for local runs and tests.
 *
 * <p>Usage: {@code PostgresMain <port> <data-dir>}. The data directory is kept across restarts so a
 * local platform can be stopped and started again without losing data.
 */
public final class PostgresMain {

    private PostgresMain() {}

    public static void main(String[] args) throws Exception {
        WatchedMain.watchParent();
        int port = Integer.parseInt(args[0]);
        Path data = Path.of(args[1]);
        Files.createDirectories(data);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", "on")
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (Exception e) {
                // Exiting anyway.
            }
        }));
        System.out.println("MAILSHOT-READY port=" + postgres.getPort());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
