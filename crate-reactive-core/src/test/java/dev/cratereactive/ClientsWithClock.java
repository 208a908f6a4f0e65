package dev.cratereactive;

import dev.cratereactive.internal.DefaultCrateClient;
import java.util.function.LongSupplier;

/** Builds clients whose dead-node revival runs on a test's clock, for tests outside this package. */
public final class ClientsWithClock {

    private ClientsWithClock() {
    }

    /**
     * @param builder a configured builder
     * @param nanoClock the time source the client's dead-node state reads
     * @return a client built from {@code builder} (validated as by {@link CrateClientBuilder#build()})
     */
    public static DefaultCrateClient build(CrateClientBuilder builder, LongSupplier nanoClock) {
        return new DefaultCrateClient(builder.toConfig(), DefaultCrateClient.Hooks.clock(nanoClock));
    }
}
