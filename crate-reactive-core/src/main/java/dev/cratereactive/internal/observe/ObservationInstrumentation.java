package dev.cratereactive.internal.observe;

import dev.cratereactive.Node;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/** Calls and attempts as Micrometer observations. Loaded only when the user set an {@code ObservationRegistry}. */
final class ObservationInstrumentation implements Instrumentation {

    private static final String NO_VALUE = "none";

    private final ObservationRegistry registry;

    private ObservationInstrumentation(ObservationRegistry registry) {
        this.registry = registry;
    }

    static Instrumentation create(Object registry) {
        return new ObservationInstrumentation((ObservationRegistry) registry);
    }

    @Override
    public CallObserver call(String operation, String sql, Object parent) {
        Observation call = observation(CrateObservation.CALL, operation, sql);
        if (parent instanceof Observation parentObservation) {
            call.parentObservation(parentObservation);
        }
        call.start();
        return new CallObserver() {
            @Override
            public AttemptObserver attempt(Node node, int number) {
                Observation attempt = observation(CrateObservation.ATTEMPT, operation, sql)
                    .parentObservation(call)
                    .contextualName(operation + " attempt " + number);
                server(attempt, node);
                attempt.start();
                return (outcome, error, bytesSent, bytesReceived) -> stop(attempt, error);
            }

            @Override
            public void end(Outcome outcome, Throwable error, Node node, long rows) {
                if (node != null) {
                    server(call, node);
                } else {
                    call.lowCardinalityKeyValue(CrateObservation.LowKeys.SERVER_ADDRESS.withValue(NO_VALUE))
                        .lowCardinalityKeyValue(CrateObservation.LowKeys.SERVER_PORT.withValue(NO_VALUE));
                }
                stop(call, error);
            }
        };
    }

    private Observation observation(CrateObservation kind, String operation, String sql) {
        return Observation.createNotStarted(kind.getName(), registry)
            .contextualName(operation)
            .lowCardinalityKeyValue(CrateObservation.LowKeys.DB_SYSTEM_NAME.withValue("cratedb"))
            .lowCardinalityKeyValue(CrateObservation.LowKeys.DB_OPERATION_NAME.withValue(operation))
            .highCardinalityKeyValue(CrateObservation.HighKeys.DB_QUERY_TEXT.withValue(sql));
    }

    private static void server(Observation observation, Node node) {
        observation.lowCardinalityKeyValue(CrateObservation.LowKeys.SERVER_ADDRESS.withValue(node.host()))
            .lowCardinalityKeyValue(CrateObservation.LowKeys.SERVER_PORT.withValue(Integer.toString(node.port())));
    }

    /* Every observation of a name carries the same keys (metrics backends need that): "none" when not failed. */
    private static void stop(Observation observation, Throwable error) {
        observation.lowCardinalityKeyValue(CrateObservation.LowKeys.DB_RESPONSE_STATUS_CODE.withValue(
                Instrumentation.errorCode(error)))
            .lowCardinalityKeyValue(CrateObservation.LowKeys.ERROR_TYPE.withValue(
                error == null ? NO_VALUE : error.getClass().getName()));
        if (error != null) {
            observation.error(error);
        }
        observation.stop();
    }
}
