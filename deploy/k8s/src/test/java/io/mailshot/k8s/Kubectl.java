package io.mailshot.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A kubectl build that renders a kustomization ({@code kubectl kustomize DIR}): Debian's kubectl, extracted (never
 * installed) into {@code ~/.cache/mailshot/kubectl-debian}, and any other kubectl on the PATH.
 */
record Kubectl(Path binary, String version) {

    private static final YAMLMapper YAML = new YAMLMapper();

    /**
     * Debian's {@code kubernetes-client} (kubectl 1.20, kustomize v2.0.3): fetched with {@code apt-get download}
     * and unpacked with {@code dpkg-deb -x} on first use, so that it never replaces the machine's own kubectl.
     */
    static Kubectl debian() {
        Path cache = Path.of(System.getProperty(
                "mailshot.kubectl.cache",
                Path.of(System.getProperty("user.home"), ".cache", "mailshot", "kubectl-debian")
                        .toString()));
        Path binary = cache.resolve("root/usr/bin/kubectl");
        try {
            Files.createDirectories(cache);
            try (FileChannel lock = FileChannel.open(
                            cache.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    var held = lock.lock()) {
                if (!Files.isExecutable(binary)) {
                    if (run(cache, "apt-get", "download", "kubernetes-client").exitCode() != 0) {
                        // A fresh machine has no package lists yet.
                        require(run(cache, "apt-get", "update"), "apt-get update");
                        require(run(cache, "apt-get", "download", "kubernetes-client"), "apt-get download");
                    }
                    Path deb;
                    try (Stream<Path> files = Files.list(cache)) {
                        deb = files.filter(p -> p.getFileName().toString().startsWith("kubernetes-client_")
                                        && p.toString().endsWith(".deb"))
                                .findFirst()
                                .orElseThrow(() -> new IllegalStateException("apt-get download left no .deb"));
                    }
                    require(
                            run(
                                    cache,
                                    "dpkg-deb",
                                    "-x",
                                    deb.toString(),
                                    cache.resolve("root").toString()),
                            "dpkg-deb -x");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack Debian's kubectl into " + cache, e);
        }
        return of(binary);
    }

    /** A kubectl on the PATH that is not {@code other} (e.g. a newer one from the Kubernetes packages), if any. */
    static Optional<Kubectl> onPath(Kubectl other) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "kubectl");
            if (Files.isExecutable(candidate)
                    && !candidate.toAbsolutePath().equals(other.binary().toAbsolutePath())) {
                return Optional.of(of(candidate));
            }
        }
        return Optional.empty();
    }

    private static Kubectl of(Path binary) {
        Result version = run(binary.getParent(), binary.toString(), "version", "--client");
        require(version, binary + " version --client");
        return new Kubectl(binary, version.out().strip().replace('\n', ' '));
    }

    /** The objects {@code kubectl kustomize dir} renders, one YAML document each. */
    List<ObjectNode> render(Path dir) {
        Result result = run(dir, binary.toString(), "kustomize", dir.toString());
        require(result, binary + " kustomize " + dir);
        List<ObjectNode> objects = new ArrayList<>();
        try (var parser = YAML.createParser(result.out())) {
            var docs = YAML.readValues(parser, JsonNode.class);
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && doc.isObject()) {
                    objects.add((ObjectNode) doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable output of kubectl kustomize " + dir, e);
        }
        return objects;
    }

    record Result(int exitCode, String out, String err) {}

    static Result run(Path dir, String... command) {
        try {
            Path log = Files.createTempFile("mailshot-k8s", ".out");
            Path err = Files.createTempFile("mailshot-k8s", ".err");
            try {
                // Warnings (kustomize v5 on deprecated fields) go to stderr, kept apart from the rendered YAML.
                Process process = new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectOutput(log.toFile())
                        .redirectError(err.toFile())
                        .start();
                if (!process.waitFor(10, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not end in 10 minutes");
                }
                return new Result(
                        process.exitValue(),
                        Files.readString(log, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(log);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void require(Result result, String what) {
        if (result.exitCode() != 0) {
            throw new IllegalStateException(
                    what + " failed (exit " + result.exitCode() + "): " + result.out() + result.err());
        }
    }
}
