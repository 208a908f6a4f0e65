package dev.cratereactive.internal;

import java.time.Duration;

/**
 * The production options of a client: server-side cancel, deadlines, discovery, metrics and traces. Immutable.
 * No compatibility promise.
 *
 * @param cancelOnServer whether a cancel or a passed deadline kills the running job on the server
 * @param defaultTimeout the deadline of a call whose statement sets none, or {@code null} for none
 * @param discoveryInterval how often the node list is refreshed from {@code sys.nodes}, or {@code null} for never
 * @param meterRegistry a Micrometer {@code MeterRegistry}, or {@code null}; typed {@code Object} so that the
 *     client runs without Micrometer on the class path
 * @param observationRegistry a Micrometer {@code ObservationRegistry}, or {@code null}; {@code Object} likewise
 * @param killTimeout how long the lookup and {@code KILL} of a cancelled job may take in all
 */
public record OperabilityOptions(boolean cancelOnServer, Duration defaultTimeout, Duration discoveryInterval,
                                 Object meterRegistry, Object observationRegistry, Duration killTimeout) {

    /** The options of a client that sets none of them. */
    public static final OperabilityOptions DEFAULTS =
        new OperabilityOptions(true, null, null, null, null, Duration.ofSeconds(10));

    @Override
    public String toString() {
        return "cancelOnServer=" + cancelOnServer + ", defaultTimeout=" + defaultTimeout + ", discoverNodes="
            + discoveryInterval + ", metrics=" + (meterRegistry != null) + ", traces=" + (observationRegistry != null);
    }
}
