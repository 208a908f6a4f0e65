package dev.cratereactive.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The floor with several requests in flight: {@code n} keep-alive sockets served by one selector thread (as an
 * event loop serves a client's connections), each writing its next pre-built request as soon as the previous
 * response was read to its end. One thread instead of one per socket, so that on a busy machine the floor pays
 * one wake-up for all the responses that are ready, as an event-loop client does. Responses are framed by
 * {@code content-length} and not decoded; only each body's end is checked.
 */
final class RawHttpLoop implements AutoCloseable {

    private final Selector selector;
    private final SocketChannel[] channels;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);

    /**
     * @param node base URL of the node
     * @param sockets how many keep-alive connections
     */
    RawHttpLoop(String node, int sockets) {
        URI uri = URI.create(node);
        try {
            selector = Selector.open();
            channels = new SocketChannel[sockets];
            for (int i = 0; i < sockets; i++) {
                SocketChannel channel = SocketChannel.open(new InetSocketAddress(uri.getHost(), uri.getPort()));
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.configureBlocking(false);
                channels[i] = channel;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + node, e);
        }
    }

    /**
     * Sends every request once, at most one per socket at a time, and reads every response to its end.
     *
     * @param requests complete requests ({@link RawHttp#request})
     * @param expectedTail what every body's last bytes must contain
     * @return the number of responses read
     */
    long run(List<byte[]> requests, String expectedTail) throws IOException {
        int next = 0;
        int done = 0;
        for (SocketChannel channel : channels) {
            if (next < requests.size()) {
                State state = new State();
                channel.register(selector, 0, state);
                next = start(channel, state, requests, next);
            }
        }
        while (done < requests.size()) {
            selector.select();
            for (SelectionKey key : selector.selectedKeys()) {
                SocketChannel channel = (SocketChannel) key.channel();
                State state = (State) key.attachment();
                if (key.isWritable()) {
                    channel.write(state.out);
                    if (!state.out.hasRemaining()) {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                }
                if (key.isValid() && key.isReadable() && state.read(channel, readBuffer)) {
                    Check.contains("floor", state.tail(), expectedTail);
                    done++;
                    if (next < requests.size()) {
                        next = start(channel, state, requests, next);
                    } else {
                        key.interestOps(0);
                    }
                }
            }
            selector.selectedKeys().clear();
        }
        return done;
    }

    private int start(SocketChannel channel, State state, List<byte[]> requests, int index) throws IOException {
        state.reset(requests.get(index));
        channel.write(state.out);
        channel.keyFor(selector).interestOps(state.out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        return index + 1;
    }

    @Override
    public void close() {
        try {
            for (SocketChannel channel : channels) {
                channel.close();
            }
            selector.close();
        } catch (IOException e) {
            // closing what we no longer use
        }
    }

    /** One socket's response in progress: the head until its blank line, then the body by count. */
    private static final class State {
        private static final int TAIL = 128;
        ByteBuffer out;
        private final StringBuilder head = new StringBuilder();
        private long remaining = -1;
        private final byte[] tail = new byte[TAIL];
        private int tailLength;

        void reset(byte[] request) {
            out = ByteBuffer.wrap(request);
            head.setLength(0);
            remaining = -1;
            tailLength = 0;
        }

        /** @return whether the response is complete */
        boolean read(SocketChannel channel, ByteBuffer buffer) throws IOException {
            buffer.clear();
            int n = channel.read(buffer);
            if (n < 0) {
                throw new IOException("connection closed mid-response");
            }
            buffer.flip();
            while (remaining < 0 && buffer.hasRemaining()) {
                char c = (char) (buffer.get() & 0xff);
                head.append(c);
                int length = head.length();
                if (c == '\n' && length >= 4 && head.charAt(length - 2) == '\r' && head.charAt(length - 3) == '\n') {
                    remaining = contentLength();
                }
            }
            if (remaining >= 0) {
                int body = buffer.remaining();
                keepTail(buffer);
                remaining -= body;
                if (remaining < 0) {
                    throw new IOException("more bytes than content-length (pipelining is not used)");
                }
            }
            return remaining == 0;
        }

        private long contentLength() throws IOException {
            String text = head.toString();
            if (!text.startsWith("HTTP/1.1 200")) {
                throw new IOException("unexpected response: " + text);
            }
            for (String line : text.split("\r\n")) {
                if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                    return Long.parseLong(line.substring(15).trim());
                }
            }
            throw new IOException("response without content-length");
        }

        private void keepTail(ByteBuffer buffer) {
            int n = buffer.remaining();
            if (n >= TAIL) {
                buffer.position(buffer.limit() - TAIL);
                buffer.get(tail, 0, TAIL);
                tailLength = TAIL;
                return;
            }
            int keep = Math.min(tailLength, TAIL - n);
            System.arraycopy(tail, tailLength - keep, tail, 0, keep);
            buffer.get(tail, keep, n);
            tailLength = keep + n;
        }

        String tail() {
            return new String(tail, 0, tailLength, StandardCharsets.UTF_8);
        }
    }
}
