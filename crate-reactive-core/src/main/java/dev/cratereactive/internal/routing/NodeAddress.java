package dev.cratereactive.internal.routing;

import dev.cratereactive.Node;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A node address as a user writes it, parsed: {@code host}, {@code host:port}, {@code [v6]:port}, or
 * {@code http(s)://[user[:password]@]host[:port][/prefix]}. Without a scheme the port defaults to 4200; with
 * one, to the scheme's (80, 443), since such URLs usually point at a proxy.
 *
 * @param node the address without credentials
 * @param username user from the URL's userinfo, or {@code null}
 * @param password password from the URL's userinfo, or {@code null}
 */
public record NodeAddress(Node node, String username, String password) {

    /** CrateDB's HTTP port. */
    public static final int DEFAULT_PORT = 4200;

    /**
     * @param address the address as written
     * @return the parsed address
     * @throws IllegalArgumentException naming the address (credentials masked) and what is wrong with it
     */
    public static NodeAddress parse(String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("nodes: a node address must not be empty");
        }
        String trimmed = address.trim();
        boolean hasScheme = trimmed.contains("://");
        try {
            URI uri = new URI(hasScheme ? trimmed : "http://" + bracketBareIpv6(trimmed));
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw invalid(trimmed, "the scheme must be http or https");
            }
            String host = uri.getHost();
            if (host == null || host.isEmpty()) {
                throw invalid(trimmed, "it has no host");
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw invalid(trimmed, "it must not have a query or fragment");
            }
            int port = uri.getPort();
            if (port == -1) {
                port = hasScheme ? (scheme.equals("https") ? 443 : 80) : DEFAULT_PORT;
            }
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            String username = null;
            String password = null;
            String userInfo = uri.getRawUserInfo();
            if (userInfo != null) {
                int colon = userInfo.indexOf(':');
                username = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
                password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
            }
            return new NodeAddress(new Node(scheme, host, port, path), username, password);
        } catch (URISyntaxException e) {
            throw invalid(trimmed, e.getReason());
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("nodes:")) {
                throw e;
            }
            throw invalid(trimmed, e.getMessage());
        }
    }

    private static String bracketBareIpv6(String address) {
        // "::1" or "fe80::1" without brackets: more than one colon cannot be host:port.
        if (!address.startsWith("[") && address.indexOf(':') != address.lastIndexOf(':')) {
            return "[" + address + "]";
        }
        return address;
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static IllegalArgumentException invalid(String address, String reason) {
        return new IllegalArgumentException("nodes: '" + redact(address) + "' is not a valid CrateDB node address: "
            + reason);
    }

    /**
     * @param address an address as written
     * @return the address with any userinfo replaced by {@code ***}
     */
    public static String redact(String address) {
        int scheme = address.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        int slash = address.indexOf('/', start);
        int at = address.lastIndexOf('@', slash < 0 ? address.length() : slash);
        return at < start ? address : address.substring(0, start) + "***" + address.substring(at);
    }
}
