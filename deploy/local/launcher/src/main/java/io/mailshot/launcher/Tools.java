package io.mailshot.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Makes sure a Debian-packaged command-line tool is installed, installing it when we can (root). */
final class Tools {

    private Tools() {}

    /** {@code command} is a name on PATH or an absolute path; {@code debianPackage} provides it. */
    static synchronized void require(String command, String debianPackage) {
        if (present(command)) {
            return;
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException(command + " is missing: install the Debian package " + debianPackage);
        }
        run("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq " + debianPackage);
        if (!present(command)) {
            throw new IllegalStateException(command + " is still missing after installing " + debianPackage);
        }
    }

    private static boolean present(String command) {
        if (command.startsWith("/")) {
            return Files.isExecutable(Path.of(command));
        }
        return run("command -v " + command + " >/dev/null") == 0;
    }

    private static int run(String script) {
        try {
            Process process =
                    new ProcessBuilder("bash", "-c", script).inheritIO().start();
            if (!process.waitFor(15, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return -1;
            }
            return process.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
