package dev.cratereactive.examples;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Where the examples find CrateDB: {@code CRATEDB_URL} (one URL, or a comma-separated list of the nodes of one
 * cluster), else {@code http://localhost:4200}. Also a quick reachability probe, so an example can say clearly that
 * no CrateDB is running instead of waiting for a connect timeout.
 */
public final class ExampleNodes {

    /** The environment variable the examples read. */
    public static final String URL_VARIABLE = "CRATEDB_URL";
    /** The node used when {@value #URL_VARIABLE} is not set. */
    public static final String DEFAULT_NODE = "http://localhost:4200";
    /** How long the probe waits for a TCP connection to each node. */
    public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private ExampleNodes() {
    }

    /** @return the node URLs from {@value #URL_VARIABLE}, or {@value #DEFAULT_NODE} */
    public static List<String> fromEnvironment() {
        return parse(System.getenv(URL_VARIABLE));
    }

    /**
     * @param urls a comma-separated list, or {@code null}
     * @return the trimmed, non-empty entries, or {@value #DEFAULT_NODE} when there are none
     */
    public static List<String> parse(String urls) {
        List<String> nodes = urls == null ? List.of()
            : Arrays.stream(urls.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        return nodes.isEmpty() ? List.of(DEFAULT_NODE) : nodes;
    }

    /**
     * Opens (and closes) a TCP connection to each node until one answers.
     *
     * @param nodes node URLs ({@code host}, {@code host:port} or {@code http(s)://...})
     * @param timeout the wait per node
     * @return whether any node accepted a connection
     */
    public static boolean anyReachable(List<String> nodes, Duration timeout) {
        for (String node : nodes) {
            URI uri = URI.create(node.contains("://") ? node : "http://" + node);
            int port = uri.getPort() > 0 ? uri.getPort()
                : !node.contains("://") ? 4200 : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(uri.getHost(), port), (int) timeout.toMillis());
                return true;
            } catch (IOException | IllegalArgumentException e) {
                // try the next node
            }
        }
        return false;
    }

    /**
     * @param nodes the nodes that were tried
     * @return what to tell the user when none answered: what was tried and how to get a CrateDB
     */
    public static String notFoundMessage(List<String> nodes) {
        return "No CrateDB found at " + String.join(", ", redact(nodes)) + ".\n"
            + "Start one with:   docker run --rm -p 4200:4200 crate\n"
            + "or point the examples at yours:   " + URL_VARIABLE + "=http://host:4200 (comma-separate several nodes)";
    }

    /**
     * @param nodes node URLs, possibly with credentials
     * @return the same URLs with any user information replaced by {@code ***}
     */
    public static List<String> redact(List<String> nodes) {
        return nodes.stream().map(node -> node.replaceFirst("//[^/@]*@", "//***@")).toList();
    }
}
