package dev.cratereactive.internal;

import dev.cratereactive.Node;
import dev.cratereactive.Row;
import dev.cratereactive.internal.routing.Router;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Refreshes the router's node list from {@code sys.nodes.rest_url} ({@code host:port}, no scheme). Found nodes
 * take the first configured node's scheme and path prefix (credentials are the client's, not the node's); one
 * that does not answer {@code HEAD /} (a published address this client cannot reach) is left out with a
 * warning; the configured seeds are never dropped. A seed given by host name that resolves to the published
 * address of exactly one node is that node: it is not listed twice (as {@code localhost} and
 * {@code 127.0.0.1}), which would double its share of the calls. A name that resolves to several published
 * nodes (round-robin DNS, a service name) stays a seed beside them.
 */
final class NodeDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger(NodeDiscovery.class);
    static final String QUERY = "SELECT rest_url FROM sys.nodes";

    private final List<Node> seeds;
    private final Router router;
    private final Supplier<Flux<Row>> restUrls;
    private final NodeProbes probes;
    private final Set<Node> warned = ConcurrentHashMap.newKeySet();

    /**
     * @param seeds the configured nodes
     * @param router whose node list is refreshed
     * @param restUrls runs {@link #QUERY}
     * @param probes checks that a found node answers
     */
    NodeDiscovery(List<Node> seeds, Router router, Supplier<Flux<Row>> restUrls, NodeProbes probes) {
        this.seeds = List.copyOf(seeds);
        this.router = router;
        this.restUrls = restUrls;
        this.probes = probes;
    }

    /**
     * @param interval time between refreshes; the first runs at once
     * @return the running refresh, to dispose on close
     */
    Disposable start(Duration interval) {
        return Flux.interval(Duration.ZERO, interval)
            .onBackpressureDrop()
            .concatMap(tick -> refresh().onErrorResume(error -> {
                LOG.warn("Node discovery from sys.nodes failed; keeping {}: {}", router.nodes(), error.toString());
                return Mono.empty();
            }), 1)
            .subscribe();
    }

    /** @return the node list after one refresh */
    Mono<List<Node>> refresh() {
        return restUrls.get()
            .mapNotNull(row -> row.get(0, String.class))
            .mapNotNull(this::toNode)
            .filter(node -> !seeds.contains(node))
            .distinct()
            .collectList()
            .zipWith(seedAddresses(), NodeDiscovery::withoutNamedSeeds)
            .flatMapIterable(nodes -> nodes)
            .flatMap(node -> router.nodes().contains(node) ? Mono.just(node) : reachable(node))
            .collectList()
            .map(found -> {
                List<Node> sorted = new ArrayList<>(found);
                sorted.sort(Comparator.comparing(Node::toString));
                Set<Node> merged = new LinkedHashSet<>(seeds);
                merged.addAll(sorted);
                List<Node> nodes = List.copyOf(merged);
                if (!nodes.equals(router.nodes())) {
                    LOG.info("CrateDB nodes from sys.nodes: {}", nodes);
                    router.updateNodes(nodes);
                }
                return nodes;
            });
    }

    /** @return the addresses of the seeds given by host name; resolved off the event loop, failures left out */
    private Mono<Map<Node, Set<InetAddress>>> seedAddresses() {
        List<Node> named = seeds.stream().filter(seed -> !NetUtil.isValidIpV4Address(seed.host())
            && !NetUtil.isValidIpV6Address(seed.host())).toList();
        if (named.isEmpty()) {
            return Mono.just(Map.of());
        }
        return Mono.fromCallable(() -> {
            Map<Node, Set<InetAddress>> resolved = new HashMap<>();
            for (Node seed : named) {
                try {
                    resolved.put(seed, Set.copyOf(Arrays.asList(InetAddress.getAllByName(seed.host()))));
                } catch (UnknownHostException e) {
                    LOG.debug("Seed {} does not resolve; nothing published is taken for it", seed);
                }
            }
            return resolved;
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /**
     * @param published the published nodes that are not seeds as configured
     * @param seedAddresses the named seeds' addresses
     * @return {@code published} without each node that a named seed resolves to alone
     */
    static List<Node> withoutNamedSeeds(List<Node> published, Map<Node, Set<InetAddress>> seedAddresses) {
        List<Node> kept = new ArrayList<>(published);
        seedAddresses.forEach((seed, addresses) -> {
            List<Node> same = published.stream().filter(node -> {
                InetAddress address = NetUtil.createInetAddressFromIpAddressString(node.host()); // null: a name
                return address != null && node.port() == seed.port() && addresses.contains(address);
            }).toList();
            if (same.size() == 1) {
                kept.remove(same.get(0));
            }
        });
        return kept;
    }

    private Mono<Node> reachable(Node node) {
        return probes.probe(node).flatMap(probe -> {
            if (probe.reachable()) {
                warned.remove(node);
                return Mono.just(node);
            }
            if (warned.add(node)) {
                LOG.warn("sys.nodes publishes {}, which this client cannot reach; leaving it out: {}", node,
                    probe.failure().getMessage());
            }
            return Mono.empty();
        });
    }

    /**
     * @param restUrl {@code host:port}, {@code [v6]:port}
     * @return the node with the seeds' scheme and prefix, or {@code null} when the value is not an address
     */
    Node toNode(String restUrl) {
        int colon = restUrl.lastIndexOf(':');
        if (colon <= 0 || colon == restUrl.length() - 1) {
            return null;
        }
        String host = restUrl.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            Node seed = seeds.get(0);
            return new Node(seed.scheme(), host, Integer.parseInt(restUrl.substring(colon + 1)), seed.pathPrefix());
        } catch (IllegalArgumentException e) {
            LOG.warn("sys.nodes.rest_url '{}' is not host:port; ignored", restUrl);
            return null;
        }
    }
}
