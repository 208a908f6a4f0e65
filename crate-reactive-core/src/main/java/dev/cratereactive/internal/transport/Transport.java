package dev.cratereactive.internal.transport;

import dev.cratereactive.Node;
import dev.cratereactive.internal.ClientConfig;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import jdk.net.ExtendedSocketOptions;
import reactor.core.publisher.Mono;
import reactor.netty.NettyPipeline;
import reactor.netty.http.HttpResources;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * The HTTP side of one client: its own connection pool (a CrateDB session lives on a TCP connection, so
 * pools are never shared between clients with different schema or credentials), socket options, TLS, and
 * the demand-aware read timeout.
 */
public final class Transport {

    private static final AtomicLong POOL_IDS = new AtomicLong();
    /** How often idle connections are evicted in the background, at most. */
    private static final Duration MAX_EVICTION_INTERVAL = Duration.ofSeconds(15);

    private final ConnectionProvider pool;
    private final HttpClient plain;
    private final HttpClient secure;
    private final boolean nativeTransport;

    /**
     * @param config the client's settings
     * @param userAgent value of the {@code User-Agent} header
     */
    public Transport(ClientConfig config, String userAgent) {
        Duration eviction = config.maxIdleTime().dividedBy(2);
        this.pool = ConnectionProvider.builder("crate-reactive-" + POOL_IDS.incrementAndGet())
            .maxConnections(config.maxConnections())
            .pendingAcquireMaxCount(-1)
            .maxIdleTime(config.maxIdleTime())
            .evictInBackground(eviction.compareTo(MAX_EVICTION_INTERVAL) < 0 ? eviction : MAX_EVICTION_INTERVAL)
            .build();
        this.nativeTransport = config.preferNative() && LoopResources.hasNativeSupport();
        HttpClient client = HttpClient.create(pool)
            .runOn(HttpResources.get(), config.preferNative())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(config.connectTimeout().toMillis()))
            .compress(true)
            .headers(headers -> {
                headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
                headers.set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON);
                headers.set(HttpHeaderNames.USER_AGENT, userAgent);
                if (config.schema() != null) {
                    headers.set("Default-Schema", config.schema());
                }
            });
        client = applyOptions(client, config);
        long timeoutMillis = config.timeout().toMillis();
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
        if (config.connectionObserver() != null) {
            client = client.doOnConnected(connection -> config.connectionObserver().accept(connection.channel()));
        }
        this.plain = client;
        // Certificates are ignored for http:// nodes, as in the Python client; no TLS setup without https nodes.
        this.secure = config.nodes().stream().noneMatch(Node::isSecure) ? null
            : client.secure(spec -> spec.sslContext(sslContext(config.sslContext()))
                .handlerConfigurator(handler -> verifyHostname(handler.engine(), config.verifyHostname())));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private HttpClient applyOptions(HttpClient client, ClientConfig config) {
        ClientConfig.Keepalive keepalive = config.keepalive();
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
        for (Map.Entry<ChannelOption<?>, Object> entry : config.channelOptions().entrySet()) {
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

    /** @return whether connections use the native epoll transport */
    public boolean isNative() {
        return nativeTransport;
    }

    /** @return a publisher that closes every pooled connection */
    public Mono<Void> disposeLater() {
        return pool.disposeLater();
    }

    /** @return whether the pool has been closed */
    public boolean isDisposed() {
        return pool.isDisposed();
    }
}
