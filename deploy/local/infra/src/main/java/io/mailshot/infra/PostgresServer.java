package io.mailshot.infra;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/** A real PostgreSQL 17 server from embedded binaries. One database per service. */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private final ForkedServer process;
    private final int port;

    private PostgresServer(ForkedServer process, int port) {
        this.process = process;
        this.port = port;
    }

    public static PostgresServer start(Path dir, int port) {
        ForkedServer server = ForkedServer.start("postgres", "postgres", dir.resolve("logs"),
                List.of("-Xmx256m"),
                "io.mailshot.runtime.postgres.PostgresMain",
                List.of(String.valueOf(port), dir.resolve("data").toAbsolutePath().toString()));
        server.awaitReadyLine(Duration.ofSeconds(90));
        return new PostgresServer(server, port);
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

    public ForkedServer process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}
