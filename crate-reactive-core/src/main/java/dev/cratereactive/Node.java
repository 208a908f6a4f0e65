package dev.cratereactive;

import java.net.URI;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One CrateDB node's HTTP address: scheme, host, port and an optional path prefix (for a node behind a
 * reverse proxy). Immutable; never holds credentials, so it is safe to log.
 */
public final class Node {

    private final String scheme;
    private final String host;
    private final int port;
    private final String pathPrefix;
    private final String url;

    /**
     * @param scheme {@code http} or {@code https}
     * @param host host name or IP literal (IPv6 without brackets)
     * @param port TCP port, 1 to 65535
     * @param pathPrefix path before {@code /_sql}, empty or starting with {@code /}, without a trailing slash
     * @throws IllegalArgumentException if a part is invalid
     */
    public Node(String scheme, String host, int port, String pathPrefix) {
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("scheme must be http or https, was '" + scheme + "'");
        }
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1 to 65535, was " + port);
        }
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        if (!pathPrefix.isEmpty() && (!pathPrefix.startsWith("/") || pathPrefix.endsWith("/"))) {
            throw new IllegalArgumentException("pathPrefix must be empty or start with '/' and not end with '/', was '"
                + pathPrefix + "'");
        }
        this.scheme = scheme;
        this.host = host;
        this.port = port;
        this.pathPrefix = pathPrefix;
        String hostPart = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        this.url = scheme + "://" + hostPart + ":" + port + pathPrefix;
    }

    /** @return {@code http} or {@code https} */
    public String scheme() {
        return scheme;
    }

    /** @return whether the node is reached over TLS */
    public boolean isSecure() {
        return "https".equals(scheme);
    }

    /** @return host name or IP literal */
    public String host() {
        return host;
    }

    /** @return TCP port */
    public int port() {
        return port;
    }

    /** @return the path prefix, empty when the node serves {@code /_sql} at the root */
    public String pathPrefix() {
        return pathPrefix;
    }

    /** @return the base URL, e.g. {@code https://db1:4200/crate}, without credentials */
    public URI uri() {
        return URI.create(url);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Node other && other.url.equals(url);
    }

    @Override
    public int hashCode() {
        return url.hashCode();
    }

    /** @return the base URL, without credentials */
    @Override
    public String toString() {
        return url;
    }
}
