package io.mailshot.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository, the runtime classpaths and the Java executable are, and how to get a free port. */
public final class InfraPaths {

    private InfraPaths() {
    }

    /** The repository root: {@code -Dmailshot.root}, {@code MAILSHOT_ROOT}, or the nearest folder with {@code mailshot}. */
    public static Path root() {
        String configured = System.getProperty("mailshot.root", System.getenv("MAILSHOT_ROOT"));
        if (configured != null && !configured.isBlank() && Files.isDirectory(Path.of(configured, "deploy"))) {
            return Path.of(configured).toAbsolutePath();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("mailshot")) && Files.isDirectory(dir.resolve("deploy/local"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("cannot find the Mailshot repository root; set -Dmailshot.root");
    }

    /** The isolated classpath of one runtime module, written by its build. */
    static String runtimeClasspath(String runtime) {
        Path module = root().resolve("deploy/local/runtime").resolve(runtime);
        Path dependencies = module.resolve("target/dependencies.classpath");
        Path jar = module.resolve("target/mailshot-runtime-" + runtime + "-0.1.0-SNAPSHOT.jar");
        if (!Files.isRegularFile(dependencies) || !Files.isRegularFile(jar)) {
            throw new IllegalStateException("runtime '" + runtime + "' is not built; run: mvn -f "
                    + root().resolve("deploy/local/runtime/pom.xml") + " package");
        }
        try {
            return jar + java.io.File.pathSeparator + Files.readString(dependencies, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The java of the JVM we run in, so children use the same JDK. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
