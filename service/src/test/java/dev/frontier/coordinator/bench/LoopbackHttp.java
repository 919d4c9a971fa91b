package dev.frontier.coordinator.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A deliberately small blocking HTTP/1.1 client: one kept-alive socket, one request at a time,
 * for one simulated worker thread. The load generators share the machine with the coordinator
 * they measure; java.net.http's asynchronous machinery cost about as much CPU per request as a
 * coordinator request itself, which would have been charged to the coordinator. Every request
 * is built in {@link #send}, the one place that sets headers (the bearer token included).
 */
final class LoopbackHttp implements AutoCloseable {
    private final String host;
    private final int port;
    private final String authorization;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    record Response(int status, String body) {
    }

    /** {@code token} may be null: then no Authorization header is sent. */
    LoopbackHttp(String host, int port, String token) {
        this.host = host;
        this.port = port;
        this.authorization = token == null || token.isBlank() ? null : "Bearer " + token;
    }

    Response post(String path, String contentType, byte[] body) {
        return send("POST", path, contentType, body);
    }

    Response postJson(String path, String json) {
        return send("POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    Response get(String path) {
        return send("GET", path, null, null);
    }

    /** One request; reconnects once when a kept-alive connection turns out to be closed. */
    Response send(String method, String path, String contentType, byte[] body) {
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append(':').append(port).append("\r\n")
                .append("Accept: application/json, application/problem+json\r\n");
        if (authorization != null) head.append("Authorization: ").append(authorization).append("\r\n");
        if (body != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n")
                    .append("Content-Length: ").append(body.length).append("\r\n");
        }
        byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
        for (int attempt = 0; ; attempt++) {
            boolean reused = socket != null;
            try {
                if (socket == null) connect();
                out.write(headBytes);
                if (body != null) out.write(body);
                out.flush();
                return read();
            } catch (IOException e) {
                close();
                // a reused connection the server closed while idle: retry once on a fresh one
                if (!reused || attempt > 0) throw new UncheckedIOException(method + " " + path, e);
            }
        }
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(60_000);
        socket.connect(new InetSocketAddress(host, port), 5_000);
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = socket.getOutputStream();
    }

    private Response read() throws IOException {
        String statusLine = line();
        if (statusLine == null) throw new IOException("connection closed before a response");
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closeAfter = false;
        for (String h = line(); h != null && !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        byte[] body = chunked ? chunked() : in.readNBytes((int) Math.max(0, length));
        if (closeAfter) close();
        return new Response(status, new String(body, StandardCharsets.UTF_8));
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line();
            if (sizeLine == null) throw new IOException("truncated chunked body");
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                while (true) {
                    String trailer = line();
                    if (trailer == null || trailer.isEmpty()) return body.toByteArray();
                }
            }
            body.write(in.readNBytes(size));
            line(); // CRLF after the chunk
        }
    }

    /** A header line without its CRLF, or null at end of stream. */
    private String line() throws IOException {
        StringBuilder sb = new StringBuilder(64);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int n = sb.length();
                if (n > 0 && sb.charAt(n - 1) == '\r') sb.setLength(n - 1);
                return sb.toString();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        socket = null;
        in = null;
        out = null;
    }
}
