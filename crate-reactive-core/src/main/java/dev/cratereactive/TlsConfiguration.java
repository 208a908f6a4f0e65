package dev.cratereactive;

import io.netty.handler.ssl.SslContext;

/**
 * TLS settings for {@code https://} nodes, accepted by {@link CrateClientBuilder#tls(TlsConfiguration)}.
 * The module {@code crate-reactive-tls} provides {@code CrateTls}, which builds one from PEM files and key
 * stores; implement it yourself to plug in any Netty {@link SslContext}.
 */
public interface TlsConfiguration {

    /** @return a client-side Netty SSL context (trust material, optional client key, protocols) */
    SslContext sslContext();

    /**
     * @return whether the server's host name must match its certificate (default {@code true}); {@code false}
     *     only together with trusting any certificate
     */
    default boolean verifyHostname() {
        return true;
    }
}
