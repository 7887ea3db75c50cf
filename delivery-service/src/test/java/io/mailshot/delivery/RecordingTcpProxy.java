package io.mailshot.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP forwarder that keeps a copy of what clients send (up to a cap), so a test can see the HTTP request headers
 * that really went over the wire to a server that does not echo them back.
 */
final class RecordingTcpProxy implements AutoCloseable {

    private static final int CAP = 4 * 1024 * 1024;

    private final ServerSocket server;
    private final int backendPort;
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "recording-proxy");
        t.setDaemon(true);
        return t;
    });

    RecordingTcpProxy(int backendPort) throws IOException {
        this(InetAddress.getLoopbackAddress(), backendPort);
    }

    /** Listens on {@code listen} (e.g. the IPv6 loopback) and forwards to the IPv4 loopback's {@code backendPort}. */
    RecordingTcpProxy(InetAddress listen, int backendPort) throws IOException {
        this.backendPort = backendPort;
        this.server = new ServerSocket(0, 50, listen);
        pool.submit(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Everything clients sent so far, as ISO-8859-1 text (HTTP headers are ASCII). */
    String sent() {
        synchronized (sent) {
            return sent.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort);
                pool.submit(() -> pump(client, backend, true));
                pool.submit(() -> pump(backend, client, false));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean record) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (record) {
                    synchronized (sent) {
                        sent.write(buffer, 0, Math.max(0, Math.min(n, CAP - sent.size())));
                    }
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // The other side closed: close both.
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // Already closed.
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
    }
}
