package io.mailshot.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A real PostgreSQL 17 server from embedded binaries. One database per service. */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private final ForkedServer process;
    private final int port;
    private final Path data;

    private PostgresServer(ForkedServer process, int port, Path data) {
        this.process = process;
        this.port = port;
        this.data = data;
    }

    public static PostgresServer start(Path dir, int port) {
        ForkedServer server = ForkedServer.start(
                "postgres",
                "postgres",
                dir.resolve("logs"),
                List.of("-Xmx256m"),
                "io.mailshot.runtime.postgres.PostgresMain",
                List.of(
                        String.valueOf(port),
                        dir.resolve("data").toAbsolutePath().toString()));
        server.awaitReadyLine(Duration.ofSeconds(90));
        return new PostgresServer(server, port, dir.resolve("data").toAbsolutePath());
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    /** Creates the database if it does not exist yet. */
    public void createDatabase(String database) {
        if (!database.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("invalid database name: " + database);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD);
                PreparedStatement exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement create = c.createStatement()) {
                // The name is validated above; CREATE DATABASE takes no bind parameters.
                create.execute("create database " + database);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + database, e);
        }
    }

    /**
     * CPU seconds used so far by the PostgreSQL server (postmaster, backends, reaped backends) and its
     * launcher JVM. pg_ctl detaches the postmaster from the launcher, so it is found by its pid file.
     */
    public double cpuSeconds() {
        double launcher = process.cpuSeconds();
        try {
            long pid = Long.parseLong(
                    Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
            Optional<ProcessHandle> postmaster = ProcessHandle.of(pid);
            boolean counted = process.hasDescendant(pid);
            if (postmaster.isPresent() && !counted) {
                return Math.max(0, launcher) + Math.max(0, ForkedServer.treeCpuSeconds(postmaster.get()));
            }
        } catch (IOException | RuntimeException e) {
            // No pid file (yet): the launcher's figure is all there is.
        }
        return launcher;
    }

    public ForkedServer process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}
