package dev.cratereactive.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain TCP relay on 127.0.0.1 in front of a real node, so a test can make that node "go away": {@link #close()}
 * stops listening and closes every relayed connection, after which connecting is refused. Counts the HTTP
 * requests that pass ({@code POST /_sql}), so round-robin can be checked against a single real node.
 */
public final class TcpProxy implements AutoCloseable {

    private static final byte[] REQUEST_LINE = "POST /".getBytes(StandardCharsets.US_ASCII);

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket listener;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile boolean closed;

    private TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("tcp-proxy-accept-" + listener.getLocalPort(), this::acceptLoop).start();
    }

    /**
     * @param targetHost the node's host
     * @param targetPort the node's port
     * @return a running relay on a free port
     */
    public static TcpProxy start(String targetHost, int targetPort) {
        try {
            return new TcpProxy(targetHost, targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the relay's port on 127.0.0.1 */
    public int port() {
        return listener.getLocalPort();
    }

    /** @return {@code http://127.0.0.1:port} */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** @return TCP connections accepted so far */
    public int connections() {
        return connections.get();
    }

    /** @return HTTP requests ({@code POST /...}) relayed to the node so far */
    public int requests() {
        return requests.get();
    }

    /** Stops listening and closes every relayed connection: the node is gone for its clients. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        sockets.forEach(TcpProxy::closeQuietly);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            connections.incrementAndGet();
            try {
                Socket server = new Socket(targetHost, targetPort);
                sockets.add(client);
                sockets.add(server);
                if (closed) { // close() ran while this connection was being set up
                    closeQuietly(client);
                    closeQuietly(server);
                    return;
                }
                daemon("tcp-proxy-up", () -> pump(client, server, true)).start();
                daemon("tcp-proxy-down", () -> pump(server, client, false)).start();
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pump(Socket from, Socket to, boolean countRequests) {
        byte[] buffer = new byte[16 * 1024];
        int matched = 0;
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (countRequests) {
                    for (int i = 0; i < read; i++) {
                        matched = buffer[i] == REQUEST_LINE[matched] ? matched + 1 : (buffer[i] == REQUEST_LINE[0] ? 1 : 0);
                        if (matched == REQUEST_LINE.length) {
                            requests.incrementAndGet();
                            matched = 0;
                        }
                    }
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed: close the other below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing anyway
        }
    }
}
