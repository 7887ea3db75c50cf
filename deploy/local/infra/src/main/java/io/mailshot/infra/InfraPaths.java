package io.mailshot.infra;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Where the repository, the runtime classpaths and the Java executable are, and how to get a free port. */
public final class InfraPaths {

    private InfraPaths() {}

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
            return jar
                    + File.pathSeparator
                    + Files.readString(dependencies, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The java of the JVM we run in, so children use the same JDK. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The home of a Java runtime of at least {@code feature} (e.g. 21), for a server that needs a newer Java than
     * the one we run in: {@code MAILSHOT_JAVA<feature>_HOME} (e.g. {@code MAILSHOT_JAVA21_HOME}), this JVM if it is
     * recent enough, else the newest JDK under {@code /usr/lib/jvm} (where Debian and the Temurin packages put them).
     * Fails naming what it looked at and how to provide one.
     */
    public static Path javaHome(int feature, String forWhat) {
        String variable = "MAILSHOT_JAVA" + feature + "_HOME";
        String configured = System.getProperty("mailshot.java" + feature + ".home", System.getenv(variable));
        if (configured != null && !configured.isBlank()) {
            Path home = Path.of(configured);
            if (javaFeature(home) >= feature) {
                return home;
            }
            throw new IllegalStateException(forWhat + " needs Java " + feature + " or later, but " + variable + "="
                    + configured + " is not such a JDK (no bin/java, or its 'release' file names an older version)");
        }
        if (Runtime.version().feature() >= feature) {
            return Path.of(System.getProperty("java.home"));
        }
        Path best = null;
        int bestFeature = 0;
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (var homes = Files.list(jvms)) {
                for (Path home : homes.toList()) {
                    int found = javaFeature(home);
                    if (found >= feature && found > bestFeature) {
                        best = home;
                        bestFeature = found;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (best == null) {
            throw new IllegalStateException(forWhat + " needs Java " + feature + " or later, and none was found: this"
                    + " JVM is " + Runtime.version().feature() + ", " + variable + " is not set, and no JDK "
                    + feature + "+ is under /usr/lib/jvm. Install one there (e.g. the Temurin JDK 25 package) or set "
                    + variable + " to its home.");
        }
        return best;
    }

    /** The feature version of the JDK at {@code home} (from its {@code release} file), or 0 when it is not one. */
    static int javaFeature(Path home) {
        if (!Files.isExecutable(home.resolve("bin/java")) || !Files.isRegularFile(home.resolve("release"))) {
            return 0;
        }
        try {
            for (String line : Files.readAllLines(home.resolve("release"), StandardCharsets.UTF_8)) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    String major = version.split("[.+-]")[0];
                    return Integer.parseInt(major.equals("1") ? version.split("\\.")[1] : major);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    /** A TCP port nothing listens on, for a local server to bind: outside the ephemeral range where possible. */
    public static int freePort() {
        // A port from the kernel's ephemeral range can be taken, between being found free here and being bound
        // by the server it is for, as the local end of some outgoing connection (a Kafka client's, a pool's):
        // now and then a service failed to start because of it. Below that range the kernel never hands a port
        // out by itself, so draw there and check that nothing listens on it.
        int below = ephemeralRangeStart();
        for (int attempt = 0; below - LOWEST_PORT > 1000 && attempt < 200; attempt++) {
            int port = LOWEST_PORT + RANDOM.nextInt(below - LOWEST_PORT);
            if (bindable(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final int LOWEST_PORT = 10_000;
    private static final Random RANDOM = new SecureRandom();
    /** Ports this process already handed out: two servers started together must not draw the same one. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** The first port of the kernel's ephemeral range (Linux), or 32768 (its default) when it cannot be read. */
    private static int ephemeralRangeStart() {
        // Read line by line: Files.readString came back with a short read of this /proc file.
        try (var in = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            return Integer.parseInt(in.readLine().trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
