package io.mailshot.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * The services' base image, a Java 17 runtime on a minimal Debian userland, built without a container engine
 * from Debian's own packages ({@code debootstrap --variant=minbase} plus {@code openjdk-17-jre-headless}) and
 * written as an OCI image layout that {@code skopeo} pushes to a registry. Jib then builds each service on it.
 */
final class BaseImage {

    /** The repository, under the target registry, that holds the base image. */
    static final String REPOSITORY = "mailshot/jre17-base";
    /** Bump when the recipe below changes, so a cached layout of the old recipe is not reused. */
    static final String TAG = "17-bookworm-2";
    /** The unprivileged user every image runs as; numeric so Kubernetes can check {@code runAsNonRoot}. */
    static final String USER = "10001:10001";

    static final String SUITE = "bookworm";
    private static final String DEFAULT_MIRROR = "http://deb.debian.org/debian";
    private static final String SECURITY_MIRROR = "http://deb.debian.org/debian-security";

    private final Path cache;
    private final String mirror;

    BaseImage(Path cache, String mirror) {
        this.cache = cache;
        this.mirror = mirror;
    }

    /** Where the cached OCI layout lives: {@code ~/.cache/mailshot/base-image/<tag>}. */
    static BaseImage cached() {
        String mirror = System.getenv().getOrDefault("MAILSHOT_DEBIAN_MIRROR", DEFAULT_MIRROR);
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "mailshot", "base-image", TAG);
        return new BaseImage(cache, mirror);
    }

    /** The OCI layout, built first if it is not cached yet. */
    Path layout() {
        if (Files.exists(cache.resolve("index.json"))) {
            return cache;
        }
        build();
        return cache;
    }

    /** Copies the layout to {@code registry} and returns the pushed reference. */
    String push(String registry, boolean tlsVerify) {
        Tools.require("skopeo", "skopeo");
        String reference = registry + "/" + REPOSITORY + ":" + TAG;
        Commands.run(
                List.of(
                        "skopeo",
                        "copy",
                        "--quiet",
                        "--dest-tls-verify=" + tlsVerify,
                        "oci:" + layout() + ":" + TAG,
                        "docker://" + reference),
                null,
                30);
        return reference;
    }

    private void build() {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("building the base image needs root (debootstrap and chroot); run once as"
                    + " root to fill " + cache);
        }
        Tools.require("debootstrap", "debootstrap");
        System.out.println("Building the base image (Debian " + SUITE + " minbase + openjdk-17-jre-headless) into "
                + cache + " …");
        try {
            Path work = Files.createDirectories(cache.getParent()).resolve(TAG + ".work");
            Commands.run(List.of("rm", "-rf", work.toString()), null, 5);
            Path rootfs = Files.createDirectories(work.resolve("rootfs"));
            Commands.run(
                    List.of(
                            "debootstrap",
                            "--variant=minbase",
                            "--include=openjdk-17-jre-headless",
                            SUITE,
                            rootfs.toString(),
                            mirror),
                    null,
                    30);
            Commands.run(List.of("bash", "-c", upgradeAndTrim()), rootfs, 30);
            Path layout = Files.createDirectories(work.resolve("layout"));
            writeLayout(rootfs, layout);
            Commands.run(List.of("rm", "-rf", rootfs.toString()), null, 5);
            Commands.run(List.of("rm", "-rf", cache.toString()), null, 5);
            Files.move(layout, cache, StandardCopyOption.ATOMIC_MOVE);
            Commands.run(List.of("rm", "-rf", work.toString()), null, 5);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Run in the root file system: security and point-release updates (debootstrap installs the release as it
     * was), then what a runtime never reads (documentation, translations, apt's package lists and downloaded
     * packages, the build host's name server), as Debian's own slim images do; dpkg's database stays so that
     * image scanners see every package and its version. Last the unprivileged user.
     */
    private String upgradeAndTrim() {
        return String.join(
                "\n",
                "set -euo pipefail",
                "cat > etc/apt/sources.list <<EOF",
                "deb " + mirror + " " + SUITE + " main",
                "deb " + mirror + " " + SUITE + "-updates main",
                "deb " + SECURITY_MIRROR + " " + SUITE + "-security main",
                "EOF",
                "mount -t proc proc proc",
                "trap 'umount proc' EXIT",
                "chroot . apt-get update -qq",
                "DEBIAN_FRONTEND=noninteractive chroot . apt-get -y -qq upgrade",
                "chroot . apt-get clean",
                "rm -rf var/lib/apt/lists/* var/cache/apt/*.bin var/cache/debconf/*-old var/lib/dpkg/*-old",
                "rm -rf usr/share/doc/* usr/share/man/* usr/share/info/* usr/share/locale/* usr/share/lintian",
                "find var/log -type f -delete",
                "rm -f etc/resolv.conf etc/hostname",
                "echo 'mailshot:x:10001:10001:Mailshot service:/work:/usr/sbin/nologin' >> etc/passwd",
                "echo 'mailshot:x:10001:' >> etc/group",
                "echo 'mailshot:!:20000::::::' >> etc/shadow");
    }

    /** One gzip layer of the whole root file system (device nodes and virtual file systems left out). */
    private void writeLayout(Path rootfs, Path layout) throws IOException {
        Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
        Path tar = layout.resolve("layer.tar");
        Commands.run(
                List.of(
                        "tar",
                        "--create",
                        "--file=" + tar,
                        "--numeric-owner",
                        "--sort=name",
                        "--xattrs",
                        "--exclude=./dev/*",
                        "--exclude=./proc/*",
                        "--exclude=./sys/*",
                        "--directory=" + rootfs,
                        "."),
                null,
                10);
        MessageDigest diff = sha256();
        MessageDigest compressed = sha256();
        Path gz = layout.resolve("layer.tar.gz");
        try (InputStream in = new DigestInputStream(Files.newInputStream(tar), diff);
                OutputStream out =
                        new GZIPOutputStream(new DigestOutputStream(Files.newOutputStream(gz), compressed), 1 << 16)) {
            in.transferTo(out);
        }
        Files.delete(tar);
        String diffId = "sha256:" + HexFormat.of().formatHex(diff.digest());
        String layerDigest = "sha256:" + HexFormat.of().formatHex(compressed.digest());
        long layerSize = Files.size(gz);
        Files.move(gz, blobs.resolve(layerDigest.substring(7)));

        ObjectMapper json = new ObjectMapper();
        String created = Instant.now().toString();
        ObjectNode config = json.createObjectNode();
        config.put("created", created);
        config.put("architecture", debianArchitecture());
        config.put("os", "linux");
        ObjectNode runtime = config.putObject("config");
        runtime.put("User", USER);
        ArrayNode env = runtime.putArray("Env");
        env.add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.add("LANG=C.UTF-8");
        env.add("JAVA_HOME=/usr/lib/jvm/java-17-openjdk-" + debianArchitecture());
        runtime.put("WorkingDir", "/work");
        // Labels are inherited by every image built on this one: only the title, which each service replaces.
        // What the base is made of is in its history, and each service image names it in ...image.base.name.
        runtime.putObject("Labels").put("org.opencontainers.image.title", "Mailshot Java 17 runtime");
        config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(diffId);
        config.putArray("history")
                .addObject()
                .put("created", created)
                .put(
                        "created_by",
                        "debootstrap --variant=minbase --include=openjdk-17-jre-headless " + SUITE
                                + "; apt-get upgrade; trimmed; user mailshot (10001)");
        byte[] configBytes = json.writeValueAsBytes(config);
        String configDigest = writeBlob(blobs, configBytes);

        ObjectNode manifest = json.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        manifest.putObject("config")
                .put("mediaType", "application/vnd.oci.image.config.v1+json")
                .put("digest", configDigest)
                .put("size", configBytes.length);
        manifest.putArray("layers")
                .addObject()
                .put("mediaType", "application/vnd.oci.image.layer.v1.tar+gzip")
                .put("digest", layerDigest)
                .put("size", layerSize);
        byte[] manifestBytes = json.writeValueAsBytes(manifest);
        String manifestDigest = writeBlob(blobs, manifestBytes);

        ObjectNode index = json.createObjectNode();
        index.put("schemaVersion", 2);
        index.putArray("manifests")
                .addObject()
                .put("mediaType", "application/vnd.oci.image.manifest.v1+json")
                .put("digest", manifestDigest)
                .put("size", manifestBytes.length)
                .putObject("annotations")
                .put("org.opencontainers.image.ref.name", TAG);
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.write(layout.resolve("index.json"), json.writeValueAsBytes(index));
    }

    private static String writeBlob(Path blobs, byte[] content) throws IOException {
        String hex = HexFormat.of().formatHex(sha256().digest(content));
        Files.write(blobs.resolve(hex), content);
        return "sha256:" + hex;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Debian's name of this machine's architecture (amd64, arm64), which is also the OCI one for these two. */
    private static String debianArchitecture() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> throw new IllegalStateException("no base image recipe for " + System.getProperty("os.arch"));
        };
    }

    /** Runs commands to completion, failing with their exit status. */
    static final class Commands {
        private Commands() {}

        static void run(List<String> command, Path directory, int timeoutMinutes) {
            try {
                ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
                if (directory != null) {
                    builder.directory(directory.toFile());
                }
                Process process = builder.start();
                if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(
                            String.join(" ", command) + " did not finish in " + timeoutMinutes + " minutes");
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(
                            String.join(" ", command) + " failed with exit status " + process.exitValue());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
            }
        }

        static String output(List<String> command, Path directory) {
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
                if (directory != null) {
                    builder.directory(directory.toFile());
                }
                builder.redirectError(ProcessBuilder.Redirect.INHERIT);
                Process process = builder.start();
                byte[] out = process.getInputStream().readAllBytes();
                if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed");
                }
                return new String(out, StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
            }
        }
    }
}
