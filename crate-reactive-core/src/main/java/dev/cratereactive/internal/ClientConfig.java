package dev.cratereactive.internal;

import dev.cratereactive.Node;
import dev.cratereactive.NodeSelector;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Everything a client runs with, validated by {@code CrateClientBuilder}. Immutable. No compatibility promise.
 *
 * @param nodes the nodes, never empty
 * @param authorization produces the {@code Authorization} header value per request, or {@code null}
 * @param schema the {@code Default-Schema}, or {@code null}
 * @param connectTimeout TCP (and TLS) connect timeout
 * @param timeout longest wait for bytes while the client wants them; {@link Duration#ZERO} waits forever
 * @param errorTrace whether to ask for server stack traces
 * @param backoffFactor the first retry delay, doubled per retry
 * @param maxRetries retries after the first attempt
 * @param channelOptions Netty channel options applied to every connection ({@code SO_KEEPALIVE} included)
 * @param keepalive TCP keepalive tuning, applied through the transport's own socket options
 * @param nodeSelector per-query node order
 * @param sslContext TLS context for https nodes, or {@code null} for the JVM defaults
 * @param verifyHostname whether https nodes must match their certificate's host name
 * @param maxConnections pooled connections per node
 * @param compressionThreshold request bodies larger than this many bytes are gzipped
 * @param maxIdleTime pooled connections idle longer are closed
 * @param deadNodeRetryInterval how long a failed node is skipped at first; doubles per repeated failure
 * @param nanoClock time source for dead-node revival (tests inject a fake one)
 * @param preferNative whether to use the native epoll transport when available
 * @param connectionObserver called with every new connection's channel (tests read socket options), or {@code null}
 * @param jwtSupplier whether {@code authorization} asks a user's JWT supplier (a 401 then asks it once more)
 * @param operability cancel, deadlines, discovery, metrics and traces
 */
public record ClientConfig(
        List<Node> nodes,
        Supplier<String> authorization,
        String schema,
        Duration connectTimeout,
        Duration timeout,
        boolean errorTrace,
        Duration backoffFactor,
        int maxRetries,
        Map<ChannelOption<?>, Object> channelOptions,
        Keepalive keepalive,
        NodeSelector nodeSelector,
        SslContext sslContext,
        boolean verifyHostname,
        int maxConnections,
        int compressionThreshold,
        Duration maxIdleTime,
        Duration deadNodeRetryInterval,
        LongSupplier nanoClock,
        boolean preferNative,
        Consumer<Channel> connectionObserver,
        boolean jwtSupplier,
        OperabilityOptions operability) {

    /**
     * @param clock a nanosecond time source
     * @return a copy using {@code clock} for dead-node revival
     */
    public ClientConfig withNanoClock(LongSupplier clock) {
        return new ClientConfig(nodes, authorization, schema, connectTimeout, timeout, errorTrace, backoffFactor,
            maxRetries, channelOptions, keepalive, nodeSelector, sslContext, verifyHostname, maxConnections, compressionThreshold,
            maxIdleTime, deadNodeRetryInterval, clock, preferNative, connectionObserver, jwtSupplier, operability);
    }

    /**
     * @param preferNativeTransport whether to use epoll when available
     * @param observer called with each new connection's channel, or {@code null}
     * @return a copy with these transport settings
     */
    public ClientConfig withTransport(boolean preferNativeTransport, Consumer<Channel> observer) {
        return new ClientConfig(nodes, authorization, schema, connectTimeout, timeout, errorTrace, backoffFactor,
            maxRetries, channelOptions, keepalive, nodeSelector, sslContext, verifyHostname, maxConnections, compressionThreshold,
            maxIdleTime, deadNodeRetryInterval, nanoClock, preferNativeTransport, observer, jwtSupplier, operability);
    }

    /**
     * @param options production options
     * @return a copy with these options
     */
    public ClientConfig withOperability(OperabilityOptions options) {
        return new ClientConfig(nodes, authorization, schema, connectTimeout, timeout, errorTrace, backoffFactor,
            maxRetries, channelOptions, keepalive, nodeSelector, sslContext, verifyHostname, maxConnections, compressionThreshold,
            maxIdleTime, deadNodeRetryInterval, nanoClock, preferNative, connectionObserver, jwtSupplier, options);
    }

    /**
     * TCP keepalive tuning; {@code null} fields keep the operating system's value.
     *
     * @param idleSeconds {@code TCP_KEEPIDLE}
     * @param intervalSeconds {@code TCP_KEEPINTVL}
     * @param count {@code TCP_KEEPCNT}
     */
    public record Keepalive(Integer idleSeconds, Integer intervalSeconds, Integer count) {

        /** @return whether any value is set */
        public boolean isSet() {
            return idleSeconds != null || intervalSeconds != null || count != null;
        }
    }

    /** @return the settings without credentials */
    @Override
    public String toString() {
        return "ClientConfig[nodes=" + nodes + ", authorization=" + (authorization == null ? "none" : "***")
            + ", schema=" + schema + ", connectTimeout=" + connectTimeout + ", timeout=" + timeout
            + ", errorTrace=" + errorTrace + ", backoffFactor=" + backoffFactor + ", maxRetries=" + maxRetries
            + ", channelOptions=" + channelOptions + ", keepalive=" + keepalive + ", tls=" + (sslContext != null) + ", verifyHostname="
            + verifyHostname + ", maxConnections=" + maxConnections + ", compressionThreshold="
            + compressionThreshold + ", maxIdleTime=" + maxIdleTime + ", deadNodeRetryInterval="
            + deadNodeRetryInterval + ", " + operability + "]";
    }
}
