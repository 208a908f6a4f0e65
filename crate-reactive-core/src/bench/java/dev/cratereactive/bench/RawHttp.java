package dev.cratereactive.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The floor of the real-server benchmark: HTTP/1.1 on a blocking keep-alive socket, requests rendered to bytes
 * before the timed run, each response read to its last byte (by {@code content-length}) without looking at the
 * rows. Not a client: no retries, no chunked encoding (CrateDB 6.4.3 answers {@code /_sql} with a
 * {@code content-length}), no TLS. Also used to set up tables, so that no client under test is warmed up by it.
 */
final class RawHttp implements AutoCloseable {

    /** How many bytes of each body's end {@link #tail()} keeps. */
    private static final int TAIL = 128;

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;
    private final byte[] tail = new byte[TAIL];
    private int tailLength;

    /** @param node base URL of the node ({@code http://host:port}) */
    RawHttp(String node) {
        URI uri = URI.create(node);
        try {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
            out = socket.getOutputStream();
            in = socket.getInputStream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + node, e);
        }
    }

    /**
     * @param node base URL of the node
     * @param body the JSON body
     * @return a complete {@code POST /_sql?types} request with that body
     */
    static byte[] request(String node, byte[] body) {
        URI uri = URI.create(node);
        String head = "POST /_sql?types HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
            + "\r\nUser-Agent: crate-reactive-bench-floor\r\nContent-Type: application/json\r\nAccept: application/json"
            + "\r\nContent-Length: " + body.length
            + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    /**
     * @param node base URL of the node
     * @param stmt a statement without parameters
     * @return the request for it
     */
    static byte[] request(String node, String stmt) {
        return request(node, ("{\"stmt\":\"" + stmt.replace("\"", "\\\"") + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes one request and reads its response to the end.
     *
     * @param request a complete request, as {@link #request} renders it
     * @return the body's length in bytes
     * @throws IllegalStateException when the status is not 200
     */
    long exchange(byte[] request) {
        try {
            out.write(request);
            out.flush();
            int status = readHead();
            long length = contentLength;
            long remaining = length;
            tailLength = 0;
            while (remaining > 0) {
                if (start == end && fill() < 0) {
                    throw new IOException("connection closed with " + remaining + " body bytes outstanding");
                }
                int n = (int) Math.min(remaining, end - start);
                keepTail(n);
                start += n;
                remaining -= n;
            }
            if (status != 200) {
                throw new IllegalStateException("HTTP " + status + ": " + tail());
            }
            return length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param request a complete request
     * @return the whole body as text (for set-up statements and small answers)
     */
    static String text(String node, byte[] request) {
        try (RawHttp http = new RawHttp(node)) {
            http.exchange(request);
            return http.tail();
        }
    }

    /** @return the last bytes (up to 128) of the last body, as text */
    String tail() {
        return new String(tail, 0, tailLength, StandardCharsets.UTF_8);
    }

    private void keepTail(int n) {
        if (n >= TAIL) {
            System.arraycopy(buffer, start + n - TAIL, tail, 0, TAIL);
            tailLength = TAIL;
            return;
        }
        int keep = Math.min(tailLength, TAIL - n);
        System.arraycopy(tail, tailLength - keep, tail, 0, keep);
        System.arraycopy(buffer, start, tail, keep, n);
        tailLength = keep + n;
    }

    private long contentLength;

    private int readHead() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int status = -1;
        contentLength = -1;
        while (true) {
            line.reset();
            while (true) {
                if (start == end && fill() < 0) {
                    throw new IOException("connection closed before the response head ended");
                }
                byte b = buffer[start++];
                if (b == '\n') {
                    break;
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            String text = line.toString(StandardCharsets.US_ASCII);
            if (text.isEmpty()) {
                break;
            }
            if (status < 0) {
                status = Integer.parseInt(text.substring(9, 12));
            } else if (text.regionMatches(true, 0, "content-length:", 0, 15)) {
                contentLength = Long.parseLong(text.substring(15).trim());
            }
        }
        if (contentLength < 0) {
            throw new IOException("response without content-length (status " + status + ")");
        }
        return status;
    }

    private int fill() throws IOException {
        start = 0;
        end = in.read(buffer);
        if (end < 0) {
            end = 0;
            return -1;
        }
        return end;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a socket we no longer use: nothing to recover
        }
    }
}
