package dev.cratereactive.internal;

import dev.cratereactive.CrateConnectionException;
import dev.cratereactive.CrateException;
import dev.cratereactive.Node;
import dev.cratereactive.NodeHealth;
import dev.cratereactive.internal.routing.DeadNodes;
import dev.cratereactive.internal.transport.Transport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code HEAD /} probes: {@code health()}, the revival of dead nodes (instead of sending a user's statement into
 * them), and the reachability check of discovered nodes. Each probe is bounded by the connect timeout.
 */
final class NodeProbes {

    private static final Logger LOG = LoggerFactory.getLogger(NodeProbes.class);

    private final Transport transport;
    private final Supplier<String> authorization;
    private final Duration timeout;
    private final DeadNodes deadNodes;

    /**
     * What one probe found.
     *
     * @param status the HTTP status, or 0 when no response came
     * @param failure why the node is not usable, or {@code null} when it answered 200
     */
    record Probe(int status, Throwable failure) {

        boolean reachable() {
            return status > 0;
        }

        boolean ready() {
            return status == 200;
        }

        /** @return whether statements may go there again: it answers, and not with a server error */
        boolean usable() {
            return status > 0 && status < 500;
        }
    }

    NodeProbes(Transport transport, Supplier<String> authorization, Duration timeout, DeadNodes deadNodes) {
        this.transport = transport;
        this.authorization = authorization;
        this.timeout = timeout;
        this.deadNodes = deadNodes;
    }

    /**
     * @param node the node
     * @return what {@code HEAD /} found; never an error
     */
    Mono<Probe> probe(Node node) {
        return Mono.defer(() -> transport.head(node, header(), timeout))
            .map(status -> new Probe(status, status == 200 ? null : new CrateConnectionException(node
                + " answered HEAD / with HTTP " + status + (status == 503 ? " (the node has no master)" : ""),
                CrateException.NO_ERROR_CODE, status, null, node, null, null)))
            .onErrorResume(error -> Mono.just(new Probe(0, new CrateConnectionException(node
                + " did not answer HEAD / within " + timeout.toMillis() + " ms: " + error,
                CrateException.NO_ERROR_CODE, CrateException.NO_HTTP_STATUS, null, node, null, error))));
    }

    /**
     * Probes a dead node whose time is up; it is alive again if it answers, dead for longer if not.
     *
     * @param node the node
     */
    void revive(Node node) {
        probe(node).subscribe(probe -> {
            LOG.debug("Revival probe of {}: HTTP {}", node, probe.status());
            deadNodes.probed(node, probe.usable() ? null : probe.failure());
        });
    }

    /**
     * @param nodes the nodes in use
     * @return each node's health, in order
     */
    Mono<List<NodeHealth>> health(List<Node> nodes) {
        return Flux.fromIterable(nodes)
            .flatMapSequential(node -> probe(node).map(probe -> {
                if (probe.usable()) {
                    deadNodes.markAlive(node);
                }
                DeadNodes.Snapshot dead = deadNodes.snapshot(node);
                Throwable lastFailure = probe.failure() != null ? probe.failure()
                    : dead == null ? null : dead.lastFailure();
                return new NodeHealth(node, probe.reachable(), probe.ready(),
                    dead == null ? null : Instant.now().plus(dead.remaining()), dead == null ? 0 : dead.failures(),
                    lastFailure);
            }))
            .collectList();
    }

    private String header() {
        if (authorization == null) {
            return null;
        }
        try {
            return authorization.get();
        } catch (RuntimeException e) {
            return null; // a failing JWT supplier must not make a node look dead: probe without credentials
        }
    }
}
