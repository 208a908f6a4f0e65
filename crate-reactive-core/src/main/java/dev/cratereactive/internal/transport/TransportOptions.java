package dev.cratereactive.internal.transport;

import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.Map;
import reactor.netty.resources.LoopResources;

/**
 * The HTTP side's settings, validated by {@code CrateClientBuilder}. Immutable. No compatibility promise.
 *
 * @param schema the {@code Default-Schema} header, or {@code null}
 * @param timeout longest wait for bytes while the client wants them; {@link Duration#ZERO} waits forever
 * @param socket connecting and socket options
 * @param pool the connection pool
 * @param tls TLS for https nodes
 */
public record TransportOptions(String schema, Duration timeout, Socket socket, Pool pool, Tls tls) {

    /**
     * @param connectTimeout TCP (and TLS) connect timeout
     * @param channelOptions Netty channel options applied to every connection ({@code SO_KEEPALIVE} included)
     * @param keepalive TCP keepalive tuning, applied through the transport's own socket options
     * @param preferNative whether to use the native epoll transport when available
     * @param loops the event loops connections run on, or {@code null} for the library's set, one thread per
     *              processor, shared by the open clients ({@code EventLoops})
     */
    public record Socket(Duration connectTimeout, Map<ChannelOption<?>, Object> channelOptions, Keepalive keepalive,
                         boolean preferNative, LoopResources loops) {
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

    /**
     * @param maxConnections pooled connections per node
     * @param maxIdleTime pooled connections idle longer are closed
     */
    public record Pool(int maxConnections, Duration maxIdleTime) {
    }

    /**
     * @param context TLS context for https nodes, or {@code null} for the JVM defaults
     * @param verifyHostname whether https nodes must match their certificate's host name
     */
    public record Tls(SslContext context, boolean verifyHostname) {

        /** @return whether a context is set, without showing it */
        @Override
        public String toString() {
            return "Tls[context=" + (context != null) + ", verifyHostname=" + verifyHostname + "]";
        }
    }

    /**
     * @param preferNativeTransport whether to use epoll when available
     * @return a copy with that choice
     */
    public TransportOptions withPreferNative(boolean preferNativeTransport) {
        return new TransportOptions(schema, timeout, new Socket(socket.connectTimeout(), socket.channelOptions(),
            socket.keepalive(), preferNativeTransport, socket.loops()), pool, tls);
    }
}
