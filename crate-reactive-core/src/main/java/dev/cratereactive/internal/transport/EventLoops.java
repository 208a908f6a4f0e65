package dev.cratereactive.internal.transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.resources.LoopResources;

/**
 * The event loops connections run on unless the user gives their own: one set shared by every open client, with
 * one thread per available processor, created when the first client opens and shut down (gracefully, in the
 * background) when the last one closes. So a closed application leaves no thread behind: in a servlet
 * container a redeployed application would otherwise keep its class loader alive through the threads.
 *
 * <p>Reactor Netty's own default ({@code HttpResources}) has at least four threads. On machines with fewer
 * cores (the 1-2 CPU containers services often run in) the pool's connections spread over more loops than
 * there are cores, and a query started where another completed is handed to another loop: a task and a
 * wake-up per query. On 2 cores, 16 point queries in flight took 15-35 % less client CPU per query with two
 * loops than with four (BENCHMARKS.md, W2). With four or more processors this is Reactor Netty's count.
 */
final class EventLoops {

    /** The threads' name prefix. */
    static final String PREFIX = "crate-reactive-io";

    private static final Logger LOG = LoggerFactory.getLogger(EventLoops.class);
    private static LoopResources current;
    private static int users;

    private EventLoops() {
    }

    /**
     * Takes a share of the loops; give it back with {@link #release(LoopResources)} exactly once.
     *
     * @return the shared loops, created if no client holds them; daemon threads, so they never keep the JVM alive
     */
    static synchronized LoopResources acquire() {
        if (users++ == 0) {
            current = LoopResources.create(PREFIX, threads(), true);
        }
        return current;
    }

    /**
     * Gives back a share taken with {@link #acquire()}; the last one shuts the loops down after they finish what
     * they were given (Reactor Netty's quiet period), without waiting for it.
     *
     * @param loops what {@link #acquire()} returned
     * @throws IllegalStateException if {@code loops} are not the shared loops or hold no share
     */
    static synchronized void release(LoopResources loops) {
        if (loops != current || users == 0) {
            throw new IllegalStateException("not a share of the current event loops");
        }
        if (--users == 0) {
            current = null;
            loops.disposeLater().subscribe(null,
                error -> LOG.warn("The event loops did not shut down cleanly: {}", error.toString()));
        }
    }

    /** @return the shared loops' thread count: the available processors */
    static int threads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }
}
