package dev.cratereactive.internal.transport;

import dev.cratereactive.Node;
import io.netty.channel.Channel;
import io.netty.resolver.AddressResolverGroup;
import java.net.SocketAddress;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.transport.TransportConfig;

/**
 * One TCP connection that carries a CrateDB HTTP session (a cursor, {@code SET SESSION}, the schema read on the
 * first request) across several requests. It lives in a single-connection {@link ConnectionProvider} of its own,
 * so Reactor Netty sends one request at a time on it and it is never handed to anyone else; {@link #release()}
 * disposes that provider, which closes the connection and with it every cursor and setting on the server.
 *
 * <p>Once the connection has closed (the server or a proxy dropped it, a response was cancelled half-read, an
 * error response closed it), no request goes out on a replacement: a new connection would silently lack the
 * session's state. Such requests fail with {@link Lost} before anything is written.
 */
public final class PinnedConnection {

    private final Node node;
    private final ConnectionProvider provider;
    private final HttpClient client;
    private volatile Channel channel;
    private volatile boolean released;

    PinnedConnection(Node node, String name, Function<ConnectionProvider, HttpClient> configure) {
        this.node = node;
        // No idle eviction: a session may rest between statements; a connection closed by the server is detected.
        this.provider = ConnectionProvider.builder(name).maxConnections(1).pendingAcquireMaxCount(-1).build();
        this.client = configure.apply(new Guard());
    }

    /** @return the node the connection goes to */
    public Node node() {
        return node;
    }

    /** @return the HTTP client whose every request goes on this connection */
    public HttpClient client() {
        return client;
    }

    /** @return whether a request may still go out: not released, and not connected yet or still connected */
    public boolean isOpen() {
        Channel current = channel;
        return !released && (current == null || current.isActive());
    }

    /** @return closes the connection (ending its session) and refuses further requests; idempotent */
    public Mono<Void> release() {
        return Mono.defer(() -> {
            released = true;
            return provider.disposeLater();
        });
    }

    /** The pinned connection is gone: a request would have needed a new connection without the session's state. */
    public static final class Lost extends IllegalStateException {

        private static final long serialVersionUID = 1L;

        Lost(String message) {
            super(message);
        }
    }

    /**
     * Passes acquisitions to the single-connection provider, refusing any connection but the first: Reactor Netty
     * writes the request when the pool tells the observer ACQUIRED or CONFIGURED, so that is where it is stopped;
     * the acquisition then fails.
     */
    private final class Guard implements ConnectionProvider {

        @Override
        public Mono<? extends Connection> acquire(TransportConfig config, ConnectionObserver observer,
                                                  Supplier<? extends SocketAddress> remoteAddress,
                                                  AddressResolverGroup<?> resolver) {
            if (!isOpen()) {
                return Mono.error(lost());
            }
            return provider.acquire(config, guarded(observer), remoteAddress, resolver)
                .flatMap(connection -> admit(connection.channel()) ? Mono.just(connection) : Mono.error(lost()));
        }

        private ConnectionObserver guarded(ConnectionObserver observer) {
            return new ConnectionObserver() {
                @Override
                public void onStateChange(Connection connection, State newState) {
                    if ((newState == State.ACQUIRED || newState == State.CONFIGURED) && !admit(connection.channel())) {
                        connection.dispose(); // the request is not written; acquire() fails with Lost
                        return;
                    }
                    observer.onStateChange(connection, newState);
                }

                @Override
                public void onUncaughtException(Connection connection, Throwable error) {
                    observer.onUncaughtException(connection, error);
                }
            };
        }

        private synchronized boolean admit(Channel candidate) {
            if (released) {
                return false;
            }
            if (channel == null) {
                channel = candidate;
            }
            return channel == candidate;
        }

        private Lost lost() {
            return new Lost(released ? "the pinned connection to " + node + " was already released"
                : "the pinned connection to " + node + " was closed; its cursors and session settings are gone");
        }

        @Override
        public Mono<Void> disposeLater() {
            return release();
        }

        @Override
        public int maxConnections() {
            return 1;
        }

        @Override
        public String name() {
            return provider.name();
        }
    }
}
