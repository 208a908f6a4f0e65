package dev.cratereactive.internal.transport;

import dev.cratereactive.Node;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import jdk.net.ExtendedSocketOptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.NettyPipeline;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionPoolMetrics;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import reactor.netty.transport.AddressUtils;

/**
 * The HTTP side of one client: its own connection pool (a CrateDB session lives on a TCP connection, so
 * pools are never shared between clients with different schema or credentials), socket options, TLS, and
 * the demand-aware read timeout.
 */
public final class Transport {

    /** How often idle connections are evicted in the background, at most. */
    private static final Duration MAX_EVICTION_INTERVAL = Duration.ofSeconds(15);

    private static final AtomicLong PINNED_IDS = new AtomicLong();

    private final TransportOptions options;
    private final String userAgent;
    private final Consumer<Channel> connectionObserver;
    private final SslContext sslContext;
    private final Set<PinnedConnection> pinned = ConcurrentHashMap.newKeySet();
    private final ConnectionProvider pool;
    /** Reactor Netty's gauges of each node's pool, by pool id and address. */
    private final Map<String, ConnectionPoolMetrics> poolMetrics = new ConcurrentHashMap<>();
    private final HttpClient plain;
    private final HttpClient secure;
    private final boolean nativeTransport;
    /** The user's loops, or a share of the library's ({@link EventLoops}), given back once on dispose. */
    private final LoopResources loops;
    private final AtomicBoolean loopsReleased = new AtomicBoolean();

    /**
     * @param options the transport's settings
     * @param name the client's name, {@code crate-reactive-<n>}: its pool's name (the pool meters' {@code name} tag)
     * @param secureNodes whether any node is {@code https} (TLS is set up only then)
     * @param userAgent value of the {@code User-Agent} header
     * @param connectionObserver called with every new connection's channel (tests read socket options), or
     *                           {@code null}
     * @param poolMeters also receives Reactor Netty's pool metrics (the user's meter registry), or {@code null}
     */
    public Transport(TransportOptions options, String name, boolean secureNodes, String userAgent,
                     Consumer<Channel> connectionObserver, ConnectionProvider.MeterRegistrar poolMeters) {
        TransportOptions.Pool poolOptions = options.pool();
        TransportOptions.Socket socket = options.socket();
        Duration eviction = poolOptions.maxIdleTime().dividedBy(2);
        this.pool = ConnectionProvider.builder(name)
            .maxConnections(poolOptions.maxConnections())
            .pendingAcquireMaxCount(-1)
            .maxIdleTime(poolOptions.maxIdleTime())
            .evictInBackground(eviction.compareTo(MAX_EVICTION_INTERVAL) < 0 ? eviction : MAX_EVICTION_INTERVAL)
            .metrics(true, () -> new PoolGauges(poolMetrics, poolMeters))
            .build();
        this.nativeTransport = socket.preferNative() && LoopResources.hasNativeSupport();
        this.options = options;
        this.userAgent = userAgent;
        this.connectionObserver = connectionObserver;
        // Certificates are ignored for http:// nodes, as in the Python client; no TLS setup without https nodes.
        this.sslContext = secureNodes ? sslContext(options.tls().context()) : null;
        this.loops = socket.loops() != null ? socket.loops() : EventLoops.acquire();
        try {
            this.plain = configure(HttpClient.create(pool), false);
            this.secure = secureNodes ? configure(HttpClient.create(pool), true) : null;
        } catch (RuntimeException | Error e) {
            releaseLoops();
            throw e;
        }
    }

    /*
     * The one configuration path: the shared pool's clients and every pinned connection's client are built here,
     * so TLS, socket options, headers, authentication and the read timeout are the same on both.
     */
    private HttpClient configure(HttpClient base, boolean tls) {
        TransportOptions.Socket socket = options.socket();
        HttpClient client = base
            .runOn(loops, socket.preferNative())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(socket.connectTimeout().toMillis()))
            .compress(true)
            .headers(headers -> {
                headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
                headers.set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON);
                headers.set(HttpHeaderNames.USER_AGENT, userAgent);
                if (options.schema() != null) {
                    headers.set("Default-Schema", options.schema());
                }
            });
        client = applyOptions(client, socket);
        long timeoutMillis = options.timeout().toMillis();
        if (timeoutMillis > 0) {
            // Once per connection (doOnConnected would run on every acquire), not per request: Reactor Netty's
            // addHandler* per request changes the pipeline twice and subscribes to the connection's termination.
            client = client.doOnChannelInit((observer, channel, address) -> {
                ChannelPipeline pipeline = channel.pipeline();
                if (pipeline.get(NettyPipeline.ReactiveBridge) != null) {
                    pipeline.addBefore(NettyPipeline.ReactiveBridge, DemandAwareReadTimeout.NAME,
                        new DemandAwareReadTimeout(timeoutMillis));
                } else {
                    pipeline.addLast(DemandAwareReadTimeout.NAME, new DemandAwareReadTimeout(timeoutMillis));
                }
            });
        }
        if (connectionObserver != null) {
            client = client.doOnConnected(connection -> connectionObserver.accept(connection.channel()));
        }
        return !tls ? client : client.secure(spec -> spec.sslContext(sslContext)
            .handlerConfigurator(handler -> verifyHostname(handler.engine(), options.tls().verifyHostname())));
    }

    /**
     * A connection of its own for a cursor or a session, outside the shared pool: configured like every other
     * connection, opened on the first request, and closed (never pooled) when released.
     *
     * @param node the node to connect to
     * @return the pinned connection; release it with {@link #release(PinnedConnection)}
     */
    public PinnedConnection pin(Node node) {
        PinnedConnection connection = new PinnedConnection(node, "crate-reactive-pinned-"
            + PINNED_IDS.incrementAndGet(), provider -> configure(HttpClient.create(provider), node.isSecure()));
        pinned.add(connection);
        return connection;
    }

    /**
     * @param connection a connection from {@link #pin(Node)}
     * @return closes it and forgets it
     */
    public Mono<Void> release(PinnedConnection connection) {
        return connection.release().doFinally(signal -> pinned.remove(connection));
    }

    /** @return how many pinned connections are not released yet (for tests and diagnostics) */
    public int pinnedConnections() {
        return pinned.size();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private HttpClient applyOptions(HttpClient client, TransportOptions.Socket socket) {
        TransportOptions.Keepalive keepalive = socket.keepalive();
        if (keepalive.isSet()) {
            if (nativeTransport) {
                client = option(client, EpollChannelOption.TCP_KEEPIDLE, keepalive.idleSeconds());
                client = option(client, EpollChannelOption.TCP_KEEPINTVL, keepalive.intervalSeconds());
                client = option(client, EpollChannelOption.TCP_KEEPCNT, keepalive.count());
            } else {
                client = option(client, NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), keepalive.idleSeconds());
                client = option(client, NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL),
                    keepalive.intervalSeconds());
                client = option(client, NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), keepalive.count());
            }
        }
        for (Map.Entry<ChannelOption<?>, Object> entry : socket.channelOptions().entrySet()) {
            client = client.option((ChannelOption) entry.getKey(), entry.getValue());
        }
        return client;
    }

    private static <T> HttpClient option(HttpClient client, ChannelOption<T> option, T value) {
        return value == null ? client : client.option(option, value);
    }

    private static SslContext sslContext(SslContext configured) {
        if (configured != null) {
            return configured;
        }
        try {
            return SslContextBuilder.forClient().build();
        } catch (SSLException e) {
            throw new IllegalStateException("the JVM's default TLS settings cannot make a client context", e);
        }
    }

    private static void verifyHostname(SSLEngine engine, boolean verify) {
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm(verify ? "HTTPS" : null);
        engine.setSSLParameters(parameters);
    }

    /**
     * @param node the node a request goes to
     * @return the configured HTTP client for that node's scheme
     */
    public HttpClient client(Node node) {
        return node.isSecure() ? secure : plain;
    }

    /**
     * A {@code POST} to one node, prepared once: its address made once, the path given relative, and the
     * {@code Host} header set with the static ones. Reactor Netty takes a relative path as it is, with the
     * configured address; an absolute URI (as a {@code java.net.URI} or a string) is taken apart on every request
     * (a regular expression on the scheme, the address and {@code Host} value rebuilt).
     *
     * @param client the configured client for the node's scheme ({@link #client(Node)}, or a pinned connection's)
     * @param node the node
     * @param pathAndQuery what follows the node's path prefix, starting with {@code /}
     * @return the request sender; add the body with {@code send(..)}, once, and reuse the receiver
     */
    public static HttpClient.RequestSender post(HttpClient client, Node node, String pathAndQuery) {
        // The address Reactor Netty makes from a URI's host and port on every request (IP literals parsed), once.
        SocketAddress address = AddressUtils.createUnresolved(node.host(), node.port());
        String host = node.host().indexOf(':') >= 0 ? "[" + node.host() + "]" : node.host();
        int defaultPort = node.isSecure() ? 443 : 80;
        String hostHeader = node.port() == defaultPort ? host : host + ":" + node.port();
        return client.remoteAddress(() -> address)
            .headers(headers -> headers.set(HttpHeaderNames.HOST, hostHeader))
            .post()
            .uri(node.pathPrefix() + pathAndQuery);
    }

    /** @return whether connections use the native epoll transport */
    public boolean isNative() {
        return nativeTransport;
    }

    /**
     * @return connections lent out of the pool right now (an exchange is using them), summed over the nodes; a
     *         connection returns to the pool just after its response completed
     */
    public int acquiredConnections() {
        return poolMetrics.values().stream().mapToInt(ConnectionPoolMetrics::acquiredSize).sum();
    }

    /**
     * @return whether every connection the pools hold is idle in them: none lent out and none on its way back
     *         (a released connection stops counting as acquired a moment before the pool can lend it again)
     */
    public boolean allConnectionsIdle() {
        return poolMetrics.values().stream()
            .allMatch(pool -> pool.acquiredSize() == 0 && pool.idleSize() == pool.allocatedSize());
    }

    /**
     * Keeps Reactor Netty's per-node pool gauges (no Micrometer needed) and hands them on to the user's meter
     * registry when one is set.
     */
    private record PoolGauges(Map<String, ConnectionPoolMetrics> gauges, ConnectionProvider.MeterRegistrar next)
            implements ConnectionProvider.MeterRegistrar {
        @Override
        public void registerMetrics(String poolName, String id, SocketAddress address, ConnectionPoolMetrics metrics) {
            gauges.put(id + address, metrics);
            if (next != null) {
                next.registerMetrics(poolName, id, address, metrics);
            }
        }

        @Override
        public void deRegisterMetrics(String poolName, String id, SocketAddress address) {
            gauges.remove(id + address);
            if (next != null) {
                next.deRegisterMetrics(poolName, id, address);
            }
        }

        @Override
        public void recordPendingAcquireSuccess(String poolName, String id, SocketAddress address, long nanos) {
            if (next != null) {
                next.recordPendingAcquireSuccess(poolName, id, address, nanos);
            }
        }

        @Override
        public void recordPendingAcquireFailure(String poolName, String id, SocketAddress address, long nanos) {
            if (next != null) {
                next.recordPendingAcquireFailure(poolName, id, address, nanos);
            }
        }
    }

    /**
     * Sends {@code HEAD /} to a node: CrateDB answers 200 when the node is ready, 503 while it has no master.
     *
     * @param node the node
     * @param authorization the {@code Authorization} header value, or {@code null}
     * @param timeout how long to wait for the answer, connecting included
     * @return the response status; errors when no HTTP response came in time
     */
    public Mono<Integer> head(Node node, String authorization, Duration timeout) {
        return client(node)
            .headers(headers -> {
                if (authorization != null) {
                    headers.set(HttpHeaderNames.AUTHORIZATION, authorization);
                }
            })
            .head()
            .uri(URI.create(node + "/"))
            .responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
            .timeout(timeout);
    }

    /** @return a publisher that closes every pooled connection, then gives back the library's event loops */
    public Mono<Void> disposeLater() {
        return Mono.when(pool.disposeLater(), Flux.fromIterable(pinned).flatMap(this::release))
            .doFinally(signal -> releaseLoops());
    }

    private void releaseLoops() {
        if (options.socket().loops() == null && loopsReleased.compareAndSet(false, true)) {
            EventLoops.release(loops);
        }
    }

    /** @return whether the pool has been closed */
    public boolean isDisposed() {
        return pool.isDisposed();
    }
}
