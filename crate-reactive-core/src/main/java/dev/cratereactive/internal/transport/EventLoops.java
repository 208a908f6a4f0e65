package dev.cratereactive.internal.transport;

import reactor.netty.resources.LoopResources;

/**
 * The event loops connections run on unless the user gives their own: one set per JVM, shared by every client,
 * with one thread per available processor.
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

    private EventLoops() {
    }

    /** @return the shared loops, created on first use; daemon threads, so they never keep the JVM alive */
    static LoopResources shared() {
        return Holder.LOOPS;
    }

    /** @return the shared loops' thread count: the available processors */
    static int threads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    private static final class Holder {
        static final LoopResources LOOPS = LoopResources.create(PREFIX, threads(), true);
    }
}
