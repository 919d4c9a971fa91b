package dev.frontier.worker.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of the coordinator that behaves like a bad link: every chunk is delayed, some
 * connections are refused at once and some are cut in the middle of a request or a response.
 */
final class FlakyProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "flaky-proxy");
        t.setDaemon(true);
        return t;
    });
    private final Random random = new Random(42);
    private final double refuse;
    private final double cut;
    private final int maxDelayMs;
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    final AtomicInteger cuts = new AtomicInteger();
    private volatile boolean closed;

    FlakyProxy(int targetPort, double refuse, double cut, int maxDelayMs) throws IOException {
        this.server = new ServerSocket();
        this.server.bind(new InetSocketAddress("localhost", 0));
        this.targetPort = targetPort;
        this.refuse = refuse;
        this.cut = cut;
        this.maxDelayMs = maxDelayMs;
        pool.submit(this::accept);
    }

    String url() {
        return "http://localhost:" + server.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                connections.incrementAndGet();
                double r;
                synchronized (random) {
                    r = random.nextDouble();
                }
                if (r < refuse) {
                    refused.incrementAndGet();
                    client.setSoLinger(true, 0); // RST, like a dropped connection
                    client.close();
                    continue;
                }
                Socket upstream = new Socket("localhost", targetPort);
                pool.submit(() -> pipe(client, upstream, true));
                pool.submit(() -> pipe(upstream, client, false));
            } catch (IOException e) {
                if (closed) return;
            }
        }
    }

    /**
     * Copies one direction. On the request direction every chunk may be the one the link cuts
     * halfway: HTTP clients keep connections alive for many requests, so a per-connection draw
     * alone would hit only a handful of them.
     */
    private void pipe(Socket from, Socket to, boolean mayCut) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                int delay;
                synchronized (random) {
                    delay = maxDelayMs <= 0 ? 0 : random.nextInt(maxDelayMs);
                }
                Thread.sleep(delay);
                boolean cutHere;
                synchronized (random) {
                    cutHere = mayCut && random.nextDouble() < cut;
                }
                if (cutHere) {
                    out.write(buf, 0, Math.max(1, n / 2));
                    out.flush();
                    cuts.incrementAndGet();
                    break;
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the other side went away
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        pool.shutdownNow();
    }
}
