package io.mailshot.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Runs another main class, and exits as soon as the parent process closes our standard input.
 *
 * <p>Why: a test JVM or launcher that dies (even by SIGKILL) closes the pipe to its children. Watching
 * stdin is the one portable way for a forked infrastructure server to notice that and never be left
 * behind. {@code System.exit} runs the server's own shutdown hooks, so it stops cleanly.
 */
public final class WatchedMain {

    private WatchedMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: WatchedMain <main-class> [args...]");
            System.exit(2);
        }
        watchParent();
        Class<?> target = Class.forName(args[0]);
        Method main = target.getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }

    /** Starts a daemon thread that exits the JVM when stdin reaches end-of-file. */
    public static void watchParent() {
        Thread watcher = new Thread(
                () -> {
                    InputStream in = System.in;
                    byte[] buffer = new byte[256];
                    try {
                        while (in.read(buffer) >= 0) {
                            // Parents never write to us; anything read is ignored.
                        }
                    } catch (IOException e) {
                        // A broken pipe means the parent is gone too.
                    }
                    System.exit(0);
                },
                "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
