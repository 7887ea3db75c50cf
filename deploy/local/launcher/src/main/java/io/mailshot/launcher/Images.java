package io.mailshot.launcher;

import io.mailshot.launcher.BaseImage.Commands;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * {@code ./mailshot images}: builds the four services' container images with Jib, without a container engine,
 * on the project's own base image ({@link BaseImage}), and pushes them to {@code MAILSHOT_REGISTRY} as {@code
 * <registry>/mailshot/<service>:<version>}.
 */
public final class Images {

    static final List<String> SERVICES =
            List.of("campaign-service", "audience-service", "extraction-service", "delivery-service");

    private final Path root;
    private final String registry;
    private final boolean offline;
    private final Optional<String> sourceUrl;

    Images(Path root, String registry, boolean offline, Optional<String> sourceUrl) {
        this.root = root;
        this.registry = registry;
        this.offline = offline;
        this.sourceUrl = sourceUrl;
    }

    public static void main(String[] args) {
        boolean offline = false;
        for (String arg : args) {
            switch (arg) {
                case "--offline" -> offline = true;
                default -> fail("unknown option " + arg + " (./mailshot images [--offline])");
            }
        }
        String registry = System.getenv("MAILSHOT_REGISTRY");
        if (registry == null || registry.isBlank()) {
            fail("MAILSHOT_REGISTRY is not set: name the registry to push to, e.g. MAILSHOT_REGISTRY=localhost:5000"
                    + " ./mailshot images");
        }
        Path root = Path.of(System.getProperty("mailshot.root", ".")).toAbsolutePath();
        Optional<String> source = Optional.ofNullable(System.getenv("MAILSHOT_SOURCE_URL"))
                .filter(s -> !s.isBlank())
                .or(() -> originUrl(root));
        try {
            long start = System.nanoTime();
            List<String> pushed = new Images(root, registry.strip(), offline, source).build();
            pushed.forEach(image -> System.out.println("pushed " + image));
            System.out.printf("in %d s%n", (System.nanoTime() - start) / 1_000_000_000L);
        } catch (IllegalStateException e) {
            fail(e.getMessage());
        }
    }

    /** Builds and pushes the base image and the four service images; returns the services' references. */
    List<String> build() {
        boolean tls = reachable(registry);
        String base = BaseImage.cached().push(registry, tls);
        String version = projectVersion(root);
        List<String> command = new ArrayList<>(List.of(maven(), "-B", "-q"));
        if (offline) {
            command.add("-o");
        }
        command.addAll(List.of(
                "package",
                "-DskipTests",
                "-pl",
                String.join(",", SERVICES),
                "-am",
                "-Dquarkus.container-image.build=true",
                "-Dquarkus.container-image.push=true",
                "-Dquarkus.container-image.registry=" + registry,
                "-Dquarkus.container-image.insecure=" + !tls,
                "-Dquarkus.jib.base-jvm-image=" + base,
                "-Dquarkus.container-image.labels.\"org.opencontainers.image.revision\"=" + revision(),
                "-Dquarkus.container-image.labels.\"org.opencontainers.image.base.name\"=" + base));
        sourceUrl.ifPresent(
                url -> command.add("-Dquarkus.container-image.labels.\"org.opencontainers.image.source\"=" + url));
        System.out.println("Building and pushing " + String.join(", ", SERVICES) + " to " + registry + " …");
        Commands.run(command, root, 60);
        return SERVICES.stream()
                .map(service -> registry + "/mailshot/" + service + ":" + version)
                .toList();
    }

    /** The commit the images are built from, marked {@code -dirty} when the work tree has uncommitted changes. */
    private String revision() {
        String head = Commands.output(List.of("git", "rev-parse", "HEAD"), root);
        String changes = Commands.output(List.of("git", "status", "--porcelain", "--untracked-files=no"), root);
        return changes.isEmpty() ? head : head + "-dirty";
    }

    /** The version of the root POM, which every module inherits and Quarkus uses as the image tag. */
    static String projectVersion(Path root) {
        try {
            Element project = DocumentBuilderFactory.newInstance()
                    .newDocumentBuilder()
                    .parse(root.resolve("pom.xml").toFile())
                    .getDocumentElement();
            for (Node child = project.getFirstChild(); child != null; child = child.getNextSibling()) {
                if (child instanceof Element element && element.getTagName().equals("version")) {
                    return element.getTextContent().strip();
                }
            }
            throw new IllegalStateException("the root pom.xml names no version");
        } catch (IOException | ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("cannot read the root pom.xml: " + e.getMessage(), e);
        }
    }

    private static Optional<String> originUrl(Path root) {
        try {
            String url = Commands.output(List.of("git", "config", "--get", "remote.origin.url"), root);
            return url.isEmpty() ? Optional.empty() : Optional.of(url);
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }

    /**
     * Checks that the registry answers the distribution API ({@code /v2/} answers 200, or 401 when it wants a
     * token), over HTTPS first and then plain HTTP; returns whether HTTPS worked.
     */
    static boolean reachable(String registry) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<String> failures = new ArrayList<>();
        for (String scheme : List.of("https", "http")) {
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(URI.create(scheme + "://" + registry + "/v2/"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200 || response.statusCode() == 401) {
                    return scheme.equals("https");
                }
                failures.add(scheme + ": /v2/ answered " + response.statusCode());
            } catch (IOException | IllegalArgumentException e) {
                failures.add(
                        scheme + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException(
                "the registry " + registry + " (MAILSHOT_REGISTRY) is not reachable: " + String.join("; ", failures));
    }

    /** The Maven of the build that runs us (tests), else the one on PATH. */
    private static String maven() {
        String home = System.getProperty("maven.home");
        if (home != null && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
            return Path.of(home, "bin", "mvn").toString();
        }
        return "mvn";
    }

    private static void fail(String message) {
        System.err.println("mailshot images: " + message);
        System.exit(1);
    }
}
