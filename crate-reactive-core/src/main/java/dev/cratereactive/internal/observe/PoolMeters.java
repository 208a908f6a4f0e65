package dev.cratereactive.internal.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import reactor.netty.resources.ConnectionPoolMetrics;
import reactor.netty.resources.ConnectionProvider;

/**
 * Reactor Netty's pool metrics ({@code ConnectionProvider.Builder.metrics(true, registrar)}) in the user's
 * registry. Reactor Netty's own registrar writes to Micrometer's global registry only, so this registrar gives
 * the numbers Reactor Netty reports ({@link ConnectionPoolMetrics}) the names and tags Reactor Netty uses,
 * {@code reactor.netty.connection.provider.*} with {@code id}, {@code name}, {@code remote.address}.
 */
final class PoolMeters implements ConnectionProvider.MeterRegistrar {

    private static final String PREFIX = "reactor.netty.connection.provider.";

    private final MeterRegistry registry;
    private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();

    PoolMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void registerMetrics(String poolName, String id, SocketAddress remoteAddress, ConnectionPoolMetrics metrics) {
        Tags tags = tags(poolName, id, remoteAddress);
        meters.put(key(poolName, id, remoteAddress), List.of(
            gauge("total.connections", tags, metrics, ConnectionPoolMetrics::allocatedSize),
            gauge("active.connections", tags, metrics, ConnectionPoolMetrics::acquiredSize),
            gauge("idle.connections", tags, metrics, ConnectionPoolMetrics::idleSize),
            gauge("pending.connections", tags, metrics, ConnectionPoolMetrics::pendingAcquireSize),
            gauge("max.connections", tags, metrics, ConnectionPoolMetrics::maxAllocatedSize),
            gauge("max.pending.connections", tags, metrics, ConnectionPoolMetrics::maxPendingAcquireSize)));
    }

    @Override
    public void deRegisterMetrics(String poolName, String id, SocketAddress remoteAddress) {
        List<Meter> removed = meters.remove(key(poolName, id, remoteAddress));
        if (removed != null) {
            removed.forEach(registry::remove);
        }
    }

    @Override
    public void recordPendingAcquireSuccess(String poolName, String id, SocketAddress remoteAddress, long nanos) {
        pendingTime(poolName, id, remoteAddress, "SUCCESS").record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void recordPendingAcquireFailure(String poolName, String id, SocketAddress remoteAddress, long nanos) {
        pendingTime(poolName, id, remoteAddress, "ERROR").record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer pendingTime(String poolName, String id, SocketAddress remoteAddress, String status) {
        return Timer.builder(PREFIX + "pending.connections.time")
            .tags(tags(poolName, id, remoteAddress).and("status", status))
            .register(registry);
    }

    private Meter gauge(String name, Tags tags, ConnectionPoolMetrics metrics, ToIntFunction<ConnectionPoolMetrics> value) {
        return Gauge.builder(PREFIX + name, metrics, m -> value.applyAsInt(m)).tags(tags).register(registry);
    }

    private static Tags tags(String poolName, String id, SocketAddress remoteAddress) {
        return Tags.of("id", id, "name", poolName, "remote.address",
            remoteAddress instanceof InetSocketAddress inet ? inet.getHostString() + ":" + inet.getPort()
                : String.valueOf(remoteAddress));
    }

    private static String key(String poolName, String id, SocketAddress remoteAddress) {
        return poolName + '|' + id + '|' + remoteAddress;
    }
}
