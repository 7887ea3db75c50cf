package io.mailshot.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP/1.1 by hand, for what a client library hides: a request that announces a body far larger than it sends,
 * and a chunked body streamed while the answer is read (a server may answer, and close, before it has read it
 * all). Only what the tests need.
 */
public final class RawHttp {

    /** An answer: status, content type and body (UTF-8). */
    public record Answer(int status, String contentType, String body, String connection) {}

    private RawHttp() {}

    /** Sends the headers of a request announcing {@code length} bytes, then a few bytes, and reads the answer. */
    public static Answer declared(URI base, String method, String path, String contentType, long length)
            throws IOException {
        return declared(base, method, path, contentType, length, null);
    }

    /** The same, with an {@code Authorization} header (none when null). */
    public static Answer declared(
            URI base, String method, String path, String contentType, long length, String authorization)
            throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(head(base, method, path, contentType, "Content-Length: " + length, authorization));
            out.write("{\"a\":\"".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return read(socket.getInputStream());
        }
    }

    /**
     * Streams {@code body} chunked from another thread while reading the answer here, so an answer given before
     * the body ends is read whatever happens to the rest. {@code sent} counts the body bytes written.
     */
    public static Answer chunked(
            URI base, String method, String path, String contentType, InputStream body, AtomicLong sent)
            throws IOException, InterruptedException {
        return chunked(base, method, path, contentType, body, sent, null);
    }

    /** The same, with an {@code Authorization} header (none when null). */
    public static Answer chunked(
            URI base,
            String method,
            String path,
            String contentType,
            InputStream body,
            AtomicLong sent,
            String authorization)
            throws IOException, InterruptedException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(120_000);
            OutputStream out = socket.getOutputStream();
            out.write(head(base, method, path, contentType, "Transfer-Encoding: chunked", authorization));
            Thread writer = new Thread(
                    () -> {
                        byte[] buffer = new byte[16 * 1024];
                        try {
                            for (int n = body.read(buffer); n > 0; n = body.read(buffer)) {
                                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                                out.write(buffer, 0, n);
                                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                                sent.addAndGet(n);
                            }
                            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                        } catch (IOException e) {
                            // The server answered and closed before the body ended: the answer is what counts.
                        }
                    },
                    "raw-http-body");
            writer.setDaemon(true);
            writer.start();
            try {
                return read(socket.getInputStream());
            } finally {
                socket.close();
                writer.join(60_000);
            }
        }
    }

    private static byte[] head(
            URI base, String method, String path, String contentType, String framing, String authorization) {
        return (method + " " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                        + "\r\nContent-Type: " + contentType + "\r\nAccept: */*\r\n" + framing
                        + (authorization == null ? "" : "\r\nAuthorization: " + authorization) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads one response: status line, headers, and a Content-Length or chunked body. */
    static Answer read(InputStream in) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2) {
            throw new IOException("no status line: '" + statusLine + "'");
        }
        int status = Integer.parseInt(parts[1]);
        String contentType = "";
        String connection = "";
        long length = -1;
        boolean chunked = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-type" -> contentType = value;
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                case "connection" -> connection = value;
                default -> {}
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (int size = chunkSize(line(in)); size > 0; size = chunkSize(line(in))) {
                body.write(in.readNBytes(size));
                line(in);
            }
        } else if (length >= 0) {
            body.write(in.readNBytes((int) length));
        }
        return new Answer(status, contentType, body.toString(StandardCharsets.UTF_8), connection);
    }

    private static int chunkSize(String line) {
        return Integer.parseInt(line.split(";")[0].trim(), 16);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
