package io.mailshot.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One infrastructure server running in its own JVM, with the isolated classpath of its runtime module.
 *
 * <p>The child's stdin is a pipe we keep open: when this JVM dies for any reason, the pipe closes and
 * the child's {@code WatchedMain} exits, so no server is ever left behind.
 */
public final class ForkedServer implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("MAILSHOT-READY (.*)");

    private final String name;
    private final Process process;
    private final Path log;
    /** Where this process's output starts in the (appended) log: earlier lines are a previous run's. */
    private final long logStart;

    private ForkedServer(String name, Process process, Path log, long logStart) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.logStart = logStart;
    }

    /** Forks {@code java -cp <runtime classpath> io.mailshot.runtime.WatchedMain mainClass args}. */
    static ForkedServer start(
            String name, String runtime, Path logDir, List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(InfraPaths.javaExecutable());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(InfraPaths.runtimeClasspath(runtime));
        command.add("io.mailshot.runtime.WatchedMain");
        command.add(mainClass);
        command.addAll(args);
        return launch(name, command, logDir);
    }

    /** Forks any command with the same stdin-pipe lifetime and log file; used for the services too. */
    public static ForkedServer launch(String name, List<String> command, Path logDir) {
        return launch(name, command, logDir, Map.of());
    }

    /** The same, with variables added to the child's environment. */
    public static ForkedServer launch(String name, List<String> command, Path logDir, Map<String, String> env) {
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            long logStart = Files.exists(log) ? Files.size(log) : 0;
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.PIPE);
            builder.environment().putAll(env);
            return new ForkedServer(name, builder.start(), log, logStart);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /**
     * Forks a program that does not watch its stdin (node, a shell script) under a small {@code sh} wrapper that
     * does: the wrapper stops the program when the pipe from this JVM reaches EOF (this JVM closed it or died, even
     * by SIGKILL) and on SIGTERM/SIGINT/SIGHUP. Close such a server with {@link #closeTree} so that descendants
     * still alive are killed by PID. Not covered: the wrapper alone being SIGKILLed by someone else while this JVM
     * lives on.
     */
    public static ForkedServer launchWatched(String name, List<String> command, Path logDir, Map<String, String> env) {
        List<String> wrapped = new ArrayList<>(List.of("sh", "-c", WATCHER, name + "-watcher"));
        wrapped.addAll(command);
        return launch(name, wrapped, logDir, env);
    }

    private static final String WATCHER = String.join(
            "\n",
            "exec 3<&0",
            "\"$@\" </dev/null &",
            "child=$!",
            "trap 'kill $child 2>/dev/null' TERM INT HUP",
            // The watcher reads the JVM's pipe (fd 3): EOF means the JVM closed it or is gone.
            "( cat <&3 >/dev/null; kill $child 2>/dev/null ) &",
            "exec 3<&-",
            "wait $child",
            "status=$?",
            "kill $child 2>/dev/null",
            "exit $status",
            "");

    /** Stops a server started by {@link #launchWatched}, then kills by PID any descendant still alive. */
    public void closeTree() {
        List<ProcessHandle> started = process.descendants().toList();
        close();
        for (ProcessHandle child : started) {
            if (child.isAlive()) {
                child.destroy();
                child.onExit()
                        .orTimeout(10, TimeUnit.SECONDS)
                        .exceptionally(t -> null)
                        .join();
                if (child.isAlive()) {
                    child.destroyForcibly();
                }
            }
        }
    }

    /** Runs a short-lived tool in the runtime's classpath and fails if it exits non-zero. */
    static void runTool(
            String name, String runtime, Path logDir, String mainClass, List<String> args, Duration timeout) {
        List<String> command = new ArrayList<>();
        command.add(InfraPaths.javaExecutable());
        command.add("-cp");
        command.add(InfraPaths.runtimeClasspath(runtime));
        command.add(mainClass);
        command.addAll(args);
        try (ForkedServer tool = launch(name, command, logDir)) {
            tool.process.getOutputStream().close();
            if (!tool.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " did not finish in " + timeout + "; see " + tool.log);
            }
            if (tool.process.exitValue() != 0) {
                throw new IllegalStateException(
                        name + " failed with exit code " + tool.process.exitValue() + "; see " + tool.log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the {@code MAILSHOT-READY ...} line and returns what follows it. */
    String awaitReadyLine(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Optional<String> ready = readyLine();
            if (ready.isPresent()) {
                return ready.get();
            }
            failIfExited();
            pause();
        }
        throw new IllegalStateException(name + " not ready after " + timeout + "; see " + log);
    }

    /**
     * Waits until {@code ready} says so (asked every 100 ms while the server runs): for a readiness only the server's
     * own protocol can tell, such as an HTTP endpoint answering.
     */
    public void await(String what, Duration timeout, BooleanSupplier ready) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (ready.getAsBoolean()) {
                return;
            }
            failIfExited();
            pause();
        }
        throw new IllegalStateException(name + ": " + what + " not ready after " + timeout + "; see " + log);
    }

    /** Waits until the server accepts TCP connections on the port. */
    public void awaitPort(int port, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                failIfExited();
                pause();
            }
        }
        throw new IllegalStateException(name + " not listening on " + port + " after " + timeout + "; see " + log);
    }

    private Optional<String> readyLine() {
        try {
            if (!Files.exists(log)) {
                return Optional.empty();
            }
            byte[] bytes = Files.readAllBytes(log);
            int from = (int) Math.min(logStart, bytes.length);
            String output = new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
            for (String line : output.split("\n")) {
                Matcher m = READY.matcher(line);
                if (m.find()) {
                    return Optional.of(m.group(1));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void failIfExited() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with code " + process.exitValue() + "; see " + log);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Peak resident memory (VmHWM) of the process in KiB, read from /proc; -1 where /proc is not available.
     */
    /**
     * CPU seconds used so far by this process and every process under it (PostgreSQL's backends are
     * children of its postmaster), including children already reaped: user + system time from /proc.
     * -1 when unknown. The bench reads it before and after a stage to say where the machine's cores went.
     */
    public double cpuSeconds() {
        return process.isAlive() ? treeCpuSeconds(process.toHandle()) : -1;
    }

    /** Whether the process {@code pid} runs under this one. */
    public boolean hasDescendant(long pid) {
        return process.descendants().anyMatch(h -> h.pid() == pid);
    }

    /** CPU seconds of a process and its descendants (see {@link #cpuSeconds()}); -1 when unknown. */
    public static double treeCpuSeconds(ProcessHandle root) {
        double ticks = cpuTicks(root);
        if (ticks < 0) {
            return -1;
        }
        for (ProcessHandle child : root.descendants().toList()) {
            ticks += Math.max(0, cpuTicks(child));
        }
        return ticks / 100.0; // USER_HZ is 100 on Linux
    }

    /** utime + stime + cutime + cstime of one process, in ticks; -1 when unknown. */
    private static double cpuTicks(ProcessHandle handle) {
        long[] times = cpuTimes(handle.pid());
        return times == null ? -1 : times[0] + times[1] + times[2] + times[3];
    }

    /**
     * CPU seconds of the reaped children of process {@code pid} (cutime + cstime): for this JVM, the command
     * line tools it ran and waited for. 0 when unknown.
     */
    public static double reapedChildrenCpuSeconds(long pid) {
        long[] times = cpuTimes(pid);
        return times == null ? 0 : (times[2] + times[3]) / 100.0;
    }

    /** utime, stime, cutime and cstime (fields 14 to 17 of /proc/pid/stat) in ticks; null when unknown. */
    private static long[] cpuTimes(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {
                Long.parseLong(fields[11]),
                Long.parseLong(fields[12]),
                Long.parseLong(fields[13]),
                Long.parseLong(fields[14])
            };
        } catch (IOException | RuntimeException e) {
            return null; // gone meanwhile, or no /proc
        }
    }

    public long peakRssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Process gone or no /proc: unknown.
        }
        return -1;
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    /** Asks the server to stop (stdin closed, then SIGTERM), and kills it if it does not. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // Already closed.
        }
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL, for failure tests. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
