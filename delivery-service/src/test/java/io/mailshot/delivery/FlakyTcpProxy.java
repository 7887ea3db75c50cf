package io.mailshot.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP forwarder in front of a real server, to stage an outage deterministically: it can stall uploads after
 * some bytes (so the test knows it is mid-upload), hold connections while the server behind it is down (so the
 * client's retries wait instead of burning out), and then cut everything and let traffic through again.
 */
final class FlakyTcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int backendPort;
    private final Object lock = new Object();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "flaky-proxy");
        t.setDaemon(true);
        return t;
    });
    private boolean up = true;
    private long stallAfter = Long.MAX_VALUE;
    private volatile boolean closed;

    FlakyTcpProxy(int backendPort) throws IOException {
        this.backendPort = backendPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pool.submit(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Each connection forwards at most this many client-to-server bytes, then stalls. */
    void stallAfter(long bytes) {
        synchronized (lock) {
            stallAfter = bytes;
        }
    }

    /** The server is going down: hold new and broken connections instead of closing them. */
    void down() {
        synchronized (lock) {
            up = false;
        }
    }

    /** Cuts every current connection, lifts the stall and lets new connections through to the server again. */
    void restore() {
        synchronized (lock) {
            stallAfter = Long.MAX_VALUE;
            up = true;
            lock.notifyAll();
        }
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                pool.submit(() -> handle(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket client) {
        try {
            awaitUp();
            Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort);
            sockets.add(backend);
            pool.submit(() -> pump(client, backend, true));
            pump(backend, client, false);
        } catch (IOException | InterruptedException e) {
            closeQuietly(client);
        }
    }

    private void pump(Socket from, Socket to, boolean throttled) {
        byte[] buffer = new byte[16 * 1024];
        long total = 0;
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (throttled) {
                    synchronized (lock) {
                        while (!closed && !to.isClosed() && total + n > stallAfter) {
                            lock.wait(100);
                        }
                    }
                }
                out.write(buffer, 0, n);
                total += n;
            }
        } catch (IOException | InterruptedException e) {
            // The other side went away; handled below.
        } finally {
            try {
                // While "down", the client must not learn about it from a closed socket: restore() cuts it.
                awaitUp();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void awaitUp() throws InterruptedException {
        synchronized (lock) {
            while (!up && !closed) {
                lock.wait(100);
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Already closed.
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        server.close();
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        pool.shutdownNow();
    }
}
