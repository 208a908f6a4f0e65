package dev.cratereactive.testing;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.ssl.SslContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * An in-process stand-in for a CrateDB node: a Reactor Netty {@link HttpServer} on 127.0.0.1 that records
 * every request and answers with what its {@link Responder} says: recorded CrateDB responses, or faults.
 * Port 0 by default; close it after each test.
 */
public final class CrateTestServer implements AutoCloseable {

    private final DisposableServer server;
    private final boolean secure;
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Channel> openConnections = new ConcurrentHashMap<>();
    private final AtomicInteger connectionsOpened = new AtomicInteger();
    private final AtomicInteger serial = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile Responder responder = Responder.transcripts(TranscriptIndex.ALL);
    /* HEAD probes (health, dead-node revival) have their own answers and record, so statement tests see none. */
    private final List<RecordedRequest> probes = new CopyOnWriteArrayList<>();
    private volatile Responder probeResponder = Responder.always(Reply.text(200, "application/json", ""));
    private volatile boolean recording = true;

    private CrateTestServer(int port, SslContext sslContext) {
        HttpServer http = HttpServer.create()
            .host("127.0.0.1")
            .port(port)
            .doOnConnection(this::track)
            .handle(this::handle);
        this.secure = sslContext != null;
        this.server = (secure ? http.secure(spec -> spec.sslContext(sslContext)) : http).bindNow(Duration.ofSeconds(10));
    }

    /** @return a plain HTTP server on a free port, replaying every transcript by statement */
    public static CrateTestServer start() {
        return new CrateTestServer(0, null);
    }

    /**
     * @param port the port (e.g. of a server stopped earlier, to bring a node back)
     * @return a plain HTTP server on that port
     */
    public static CrateTestServer start(int port) {
        return new CrateTestServer(port, null);
    }

    /**
     * @param sslContext a server SSL context
     * @return an HTTPS server on a free port
     */
    public static CrateTestServer startSecure(SslContext sslContext) {
        return new CrateTestServer(0, sslContext);
    }

    /** @return a port on 127.0.0.1 where nothing listens (connections are refused) */
    public static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param responder decides the answer to each following request
     * @return this server
     */
    public CrateTestServer respond(Responder responder) {
        this.responder = responder;
        return this;
    }

    /**
     * @param reply the answer to every following request
     * @return this server
     */
    public CrateTestServer respond(Reply reply) {
        return respond(Responder.always(reply));
    }

    /**
     * @param reply the answer to every following {@code HEAD} request (default: 200)
     * @return this server
     */
    public CrateTestServer respondToProbes(Reply reply) {
        this.probeResponder = Responder.always(reply);
        return this;
    }

    /** @return every {@code HEAD} request so far, in arrival order */
    public List<RecordedRequest> probes() {
        return List.copyOf(probes);
    }

    /**
     * @param record false to stop keeping requests for {@link #requests()} (for runs of millions of rows)
     * @return this server
     */
    public CrateTestServer recordRequests(boolean record) {
        this.recording = record;
        return this;
    }

    /** @return {@code http://127.0.0.1:port} (or https) */
    public String url() {
        return (secure ? "https" : "http") + "://127.0.0.1:" + port();
    }

    /** @return the bound port */
    public int port() {
        return server.port();
    }

    /** @return every request so far, in arrival order */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** @return requests received whose answer has not started (stalled or delayed ones, until reset or closed) */
    public int inFlight() {
        return inFlight.get();
    }

    /** @return the most requests that were in flight at the same time */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** @return how many TCP connections were accepted */
    public int connectionsOpened() {
        return connectionsOpened.get();
    }

    /** @return how many accepted TCP connections are still open */
    public int openConnections() {
        return openConnections.size();
    }

    /** Stops listening and closes every connection: the node is gone. */
    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
        openConnections.values().forEach(Channel::close);
    }

    private void track(Connection connection) {
        Channel channel = connection.channel();
        // Reactor Netty calls this for every request of a keep-alive connection: count channels, not calls.
        if (openConnections.putIfAbsent(channel.id().asShortText(), channel) == null) {
            connectionsOpened.incrementAndGet();
            channel.closeFuture().addListener(f -> openConnections.remove(channel.id().asShortText()));
        }
    }

    private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        return request.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0]).flatMap(raw -> {
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            request.requestHeaders().forEach(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
            String[] connectionId = new String[1];
            response.withConnection(c -> connectionId[0] = c.channel().id().asShortText());
            RecordedRequest recorded = new RecordedRequest(request.method().name(), request.uri(), headers,
                decode(raw, headers.get("content-encoding")), raw.length, connectionId[0], serial.incrementAndGet(),
                System.nanoTime());
            if ("HEAD".equals(recorded.method())) {
                probes.add(recorded);
                return send(probeResponder.reply(recorded), response, () -> { });
            }
            if (recording) {
                requests.add(recorded);
            }
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            // Out of flight once the answer starts: Reactor Netty completes the exchange after the client
            // has the whole body, and may already be holding that client's next request on this connection.
            AtomicBoolean answered = new AtomicBoolean();
            Runnable leaveFlight = () -> {
                if (answered.compareAndSet(false, true)) {
                    inFlight.decrementAndGet();
                }
            };
            return send(responder.reply(recorded), response, leaveFlight).doFinally(signal -> leaveFlight.run());
        });
    }

    private static Mono<Void> send(Reply reply, HttpServerResponse response, Runnable answering) {
        if (reply instanceof Reply.Full full) {
            answering.run();
            response.status(HttpResponseStatus.valueOf(full.status()));
            full.headers().forEach(response::header);
            response.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(full.body().length));
            return response.sendByteArray(Mono.just(full.body())).then();
        }
        if (reply instanceof Reply.ResetMidBody reset) {
            return partial(response, reset.status(), reset.contentType(), reset.body(), reset.bytesSent())
                .then(Mono.fromRunnable(() -> response.withConnection(CrateTestServer::reset)))
                .then(Mono.never());
        }
        if (reply instanceof Reply.StallMidBody stall) {
            return partial(response, stall.status(), stall.contentType(), stall.body(), stall.bytesSent())
                .then(Mono.never());
        }
        if (reply instanceof Reply.ResetBeforeResponse) {
            response.withConnection(CrateTestServer::reset);
            return Mono.never();
        }
        if (reply instanceof Reply.Raw raw) {
            // From the first handler's context: past the HTTP encoder, straight onto the socket.
            response.withConnection(c -> c.channel().pipeline().firstContext()
                .writeAndFlush(Unpooled.wrappedBuffer(raw.bytes())).addListener(ChannelFutureListener.CLOSE));
            return Mono.never();
        }
        if (reply instanceof Reply.Stall) {
            return Mono.never();
        }
        if (reply instanceof Reply.Streamed streamed) {
            answering.run();
            return response.status(HttpResponseStatus.valueOf(streamed.status()))
                .header(HttpHeaderNames.CONTENT_TYPE, streamed.contentType())
                .sendByteArray(Flux.from(streamed.body()))
                .then();
        }
        Reply.Delayed delayed = (Reply.Delayed) reply;
        return Mono.delay(delayed.delay()).then(Mono.defer(() -> send(delayed.reply(), response, answering)));
    }

    private static Mono<Void> partial(HttpServerResponse response, int status, String contentType, byte[] body,
                                      int bytesSent) {
        return response.status(HttpResponseStatus.valueOf(status))
            .header(HttpHeaderNames.CONTENT_TYPE, contentType)
            .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length))
            // hide(): a single-value publisher would be sent as a complete response and end the exchange
            .send(Flux.just(Unpooled.wrappedBuffer(body, 0, bytesSent)).hide())
            .then();
    }

    private static void reset(Connection connection) {
        // SO_LINGER 0 turns the close into a TCP RST, like a crashed node or a killed proxy.
        connection.channel().config().setOption(ChannelOption.SO_LINGER, 0);
        connection.channel().close();
    }

    private static String decode(byte[] raw, String contentEncoding) {
        if (contentEncoding != null && contentEncoding.toLowerCase(Locale.ROOT).contains("gzip")) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "<invalid gzip: " + e.getMessage() + ">";
            }
        }
        return new String(raw, StandardCharsets.UTF_8);
    }
}
