package dev.cratereactive.spring.boot;

import dev.cratereactive.CrateClient;
import dev.cratereactive.NodeHealth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import reactor.core.publisher.Mono;

/**
 * Health from {@link CrateClient#health()}: UP when at least one node is reachable and ready, DOWN otherwise; the
 * details list every node (reachable, ready, consecutive failures, dead until). Failure messages are left out:
 * they may name hosts, never credentials, but a health endpoint is often public.
 */
public class CrateHealthIndicator extends AbstractReactiveHealthIndicator {

    private final CrateClient client;

    /** @param client the client whose nodes are probed */
    public CrateHealthIndicator(CrateClient client) {
        super("CrateDB health check failed");
        this.client = client;
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        return client.health().map(nodes -> health(builder, nodes));
    }

    private static Health health(Health.Builder builder, List<NodeHealth> nodes) {
        boolean anyReady = nodes.stream().anyMatch(node -> node.reachable() && node.ready());
        (anyReady ? builder.up() : builder.down()).withDetail("nodes", nodes.stream().map(node -> {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("node", node.node().uri().toString());
            detail.put("reachable", node.reachable());
            detail.put("ready", node.ready());
            detail.put("failures", node.failures());
            node.deadUntil().ifPresent(until -> detail.put("deadUntil", until.toString()));
            return detail;
        }).toList());
        return builder.build();
    }
}
