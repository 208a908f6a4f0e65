package dev.cratereactive.internal;

import dev.cratereactive.internal.routing.RoutingOptions;
import dev.cratereactive.internal.transport.TransportOptions;

/**
 * Everything a client runs with, one value per layer, validated by {@code CrateClientBuilder}. Immutable.
 * No compatibility promise.
 *
 * @param routing nodes, order and retries
 * @param transport connections, pool, timeouts and TLS
 * @param request what every request carries
 * @param operability cancel on the server, deadlines, discovery, metrics and traces
 */
public record ClientConfig(RoutingOptions routing, TransportOptions transport, RequestOptions request,
                           OperabilityOptions operability) {
}
